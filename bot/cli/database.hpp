// The database a verb works on, as MICROALIGN_DB names it: a SQLite file (one connection), or a
// PostgreSQL database (a pool of MICROALIGN_DB_POOL connections, one per commit worker); and the
// commit queue that runs the storage port's transactions over it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "microalign/core/config.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/storage/engine.hpp"

namespace microalign::cli {

class Database {
 public:
  // Opens and migrates it. Throws storage::StorageError.
  explicit Database(const Config&);
  ~Database();  // stops the commit queue (finishing what was submitted) before closing

  // For a verb's reads, on its own thread while no transaction it submitted is under way (the
  // first connection, which its worker uses only for submitted work).
  storage::Store& store() { return *connections_.front(); }
  storage::Transactions& transactions() { return *commits_; }
  storage::CommitQueue& commits() { return *commits_; }
  int schema_version() const { return connections_.front()->schema_version(); }
  const std::string& name() const { return connections_.front()->name(); }

 private:
  std::vector<std::unique_ptr<storage::Engine>> connections_;
  std::unique_ptr<storage::CommitQueue> commits_;
};

}  // namespace microalign::cli
