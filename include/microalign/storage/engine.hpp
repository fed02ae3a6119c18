// One connection of a storage engine: the Store, and the transaction controls that the commit
// queue drives. SQLite's engine is one connection to a file; PostgreSQL's is a pool of them, one
// per commit worker. A connection is used by one thread at a time.
#pragma once

#include <string>

#include "microalign/storage/store.hpp"

namespace microalign::storage {

class Engine : public Store {
 public:
  // begin() starts a transaction that may write; commit() makes it durable before returning;
  // rollback() undoes it, and does nothing when no transaction is open (an engine may have
  // ended it itself after an I/O error).
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;
  // A nested point for one item of a batch: released when the item went well, rolled back to
  // (and dropped) when it failed, so that the batch goes on without its writes.
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;

  // The database as the operator named it, safe to print: a file path, or a PostgreSQL URI
  // without its password.
  virtual const std::string& name() const = 0;
  virtual int schema_version() const = 0;
};

}  // namespace microalign::storage
