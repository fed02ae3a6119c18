// The statements a Store runs for every write, prepared once per connection and reused: parsing
// SQL again for each of thousands of inserts per second would be wasted work.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "microalign/storage/sqlite_store.hpp"

namespace microalign::storage {

struct SqliteStore::Statements {
  explicit Statements(SQLite::Database&);

  SQLite::Statement begin, commit, rollback;
  SQLite::Statement savepoint, release_savepoint, rollback_to_savepoint;
  SQLite::Statement find_event, insert_event;
  SQLite::Statement insert_update, insert_ticket, insert_link, upsert_ticket;
  SQLite::Statement set_echo_ref;

  // Every other statement the hot paths run, by its SQL, prepared on first use.
  SQLite::Statement& cached(const std::string& sql);

 private:
  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> by_sql_;
};

// Resets a reused statement when the scope ends, also when it fails, so that it never stays
// busy (a busy statement would hold a read snapshot open and block the next use).
struct ResetOnExit {
  SQLite::Statement& statement;
  ~ResetOnExit() { statement.tryReset(); }
};

// Runs a statement that returns no rows and resets it. Returns the number of rows changed.
int execute(SQLite::Statement&);

// Binds `value`, or NULL when there is none.
template <typename T>
void bind_optional(SQLite::Statement& s, const char* name, const std::optional<T>& value) {
  if (value) {
    s.bind(name, *value);
  } else {
    s.bind(name);
  }
}

}  // namespace microalign::storage
