// The storage suite runs against both engines: ctest runs it once on SQLite and once with
// MICROALIGN_TEST_ENGINE=postgresql on the private server tests/support/with_postgres.sh starts.
// A TestDatabase is a fresh, empty database of the engine under test: a file in a temporary
// directory, or a schema of its own on the server (dropped at the end), so that tests running in
// parallel never see each other's rows. Tests of one engine's own behaviour (a file's mode,
// SQLite's query plans, its old schemas) are tagged [sqlite] and run on SQLite only.
#pragma once

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <vector>

#include "fixtures.hpp"
#include "postgres/pg.hpp"
#include "test_postgres.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "microalign/storage/sqlite_store.hpp"

namespace microalign::storage::test {

inline bool testing_postgres() {
  const char* engine = std::getenv("MICROALIGN_TEST_ENGINE");
  return engine != nullptr && std::string(engine) == "postgresql";
}

class TestDatabase {
 public:
  TestDatabase() {
    if (!testing_postgres()) return;
    // Without a server: a failure in CI, else a skip (test_postgres_uri says which, and why).
    const auto server = test_postgres_uri();
    if (!server) throw std::runtime_error("skipped: no PostgreSQL server");
    schema_.emplace(*server);
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // A new connection to the same database (migrated on its first open), as a restart would make.
  std::unique_ptr<Engine> open() const {
    if (schema_) return PostgresStore::open(schema_->uri());
    return SqliteStore::open(dir_.file("bot.db"));
  }
  // What MICROALIGN_DB would say for it.
  std::string location() const { return schema_ ? schema_->uri() : dir_.file("bot.db"); }
  bool postgres() const { return schema_.has_value(); }

 private:
  TempDir dir_;
  std::optional<TestSchema> schema_;
};

// The first row `sql` reads, its first `columns` columns as text (NULL: none), in the engine's own
// SQL: for what no Store method reads (how a row is stored).
inline std::vector<std::optional<std::string>> first_row(Engine& store, const std::string& sql, int columns) {
  std::vector<std::optional<std::string>> row;
  if (auto* sqlite = dynamic_cast<SqliteStore*>(&store)) {
    SQLite::Statement q(sqlite->sql(), sql);
    REQUIRE(q.executeStep());
    for (int i = 0; i < columns; ++i) {
      row.push_back(q.getColumn(i).isNull() ? std::nullopt : std::optional(q.getColumn(i).getString()));
    }
    return row;
  }
  const auto rows = pg::Query(dynamic_cast<PostgresStore&>(store).connection(), sql).run();
  REQUIRE(rows.rows() > 0);
  for (int i = 0; i < columns; ++i) row.push_back(rows.optional_text(0, i));
  return row;
}

// One value: the first column of the first row, as text ("" for NULL).
inline std::string ask(Engine& store, const std::string& sql) { return first_row(store, sql, 1).at(0).value_or(""); }

// A statement that reads nothing, with one text parameter `:text`: a row as no Store method
// would write it (as another binary might have).
inline void overwrite(Engine& store, const std::string& sql, const std::string& text) {
  if (auto* sqlite = dynamic_cast<SqliteStore*>(&store)) {
    SQLite::Statement q(sqlite->sql(), sql);
    q.bind(":text", text);
    q.exec();
    return;
  }
  pg::Query(dynamic_cast<PostgresStore&>(store).connection(), sql).bind("text", text).run();
}

}  // namespace microalign::storage::test
