// Durable storage of updates, tickets and seen events in SQLite. Synchronous: one thread uses a
// Store at a time (the commit queue's worker in `run`, the caller in CLI verbs and tests). Never
// two at once: the connection is opened without SQLite's own locking (OPEN_NOMUTEX).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/model.hpp"

namespace SQLite {
class Database;
}

namespace microalign::storage {

// A database operation failed. The message names the file, what was being done and SQLite's
// reason (never the data), so it can go straight into a start-up error or a log line.
struct StorageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The `{}`s let callers name only what they filter on ({.channel = "C1"}) without a warning.
struct ExportFilter {
  std::string team{};              // empty: every workspace
  std::string channel{};           // empty: every channel
  std::optional<SysTime> since{};  // created_at >= since
};

struct InsertResult {
  std::int64_t update_id = 0;
  bool duplicate = false;  // the event id was already stored: nothing was written
};

class Store {
 public:
  // Opens (creating with mode 0600) the database at `path`, enables WAL, and applies every
  // migration newer than the file's schema version. Throws StorageError.
  // A file whose schema is newer than this binary's is refused rather than misread.
  static std::unique_ptr<Store> open(const std::string& path);
  ~Store();

  int schema_version() const;
  static int latest_schema_version();  // the newest migration compiled into this binary

  // Transactions are explicit so that the commit queue can group many writes into one commit.
  // begin() takes the write lock at once (BEGIN IMMEDIATE); rollback() does nothing when SQLite
  // has already rolled the transaction back itself (as it does on I/O errors).
  void begin();
  void commit();
  void rollback();
  bool in_transaction() const;
  void savepoint();          // nested point inside a transaction, for one item of a batch
  void release_savepoint();
  void rollback_to_savepoint();  // undoes the item's writes and drops the savepoint

  // Stores the update with its tickets and links, and updates each ticket's summary row
  // (channel and last update always; last state when the update names one; owner = author when
  // it is a status update). When `event_id` is non-empty it is recorded as seen (at the
  // update's created_at) in the same transaction; an event id seen before writes nothing and
  // returns duplicate = true with the id of the update it produced (0 if none).
  // Must run inside a transaction (begin/commit, or a CommitQueue item) so that the update is
  // stored whole or not at all; outside one it throws std::logic_error.
  InsertResult insert_update(const Update&, std::string_view event_id = {});

  // Marks an event id as seen without an update (e.g. an event that carried nothing to store).
  // Returns false when it was already seen.
  bool mark_event_seen(std::string_view event_id, SysTime at);

  // Forgets event ids seen before `older_than`; returns how many. Slack redelivers within
  // minutes, so keeping a few days is plenty and keeps the table small.
  std::size_t prune_seen_events(SysTime older_than);

  void set_echo_ref(std::int64_t update_id, std::string_view ref);

  std::optional<Update> find_update(std::int64_t id);
  // Every stored update matching the filter, oldest first (by id), tickets and links included.
  std::vector<Update> updates(const ExportFilter&);

  SQLite::Database& sql();  // for tests and the commit queue

 private:
  struct Statements;  // the write paths' prepared statements, reused (statements.hpp)

  Store(std::unique_ptr<SQLite::Database>, std::string path);

  std::unique_ptr<SQLite::Database> db_;
  std::string path_;                    // for error messages
  std::unique_ptr<Statements> stmts_;   // declared after db_: finalized before it closes
};

}  // namespace microalign::storage
