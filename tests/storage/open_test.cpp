// Opening a database: creation, permissions, connection settings, migrations, refusals.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <fstream>

#include "fixtures.hpp"
#include "microalign/storage/sqlite_store.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::TempDir;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string schema_of(SqliteStore& store) {
  return store.sql().execAndGet("SELECT group_concat(sql, ';') FROM sqlite_schema").getString();
}

void store_one(SqliteStore& store) {
  store.begin();
  store.insert_update(test::make_update("hello"));
  store.commit();
}

}  // namespace

TEST_CASE("a new database is migrated to the latest schema", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  CHECK(SqliteStore::latest_schema_version() >= 1);
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());
  for (const char* table : {"updates", "update_tickets", "update_links", "tickets", "seen_events"}) {
    SQLite::Statement q(store->sql(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?");
    q.bind(1, table);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
  }
}

TEST_CASE("the connection is set up for durability", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  auto& db = store->sql();
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
  CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(db.execAndGet("PRAGMA busy_timeout").getInt() == 5000);
}

// Every item of a group commit runs in a savepoint; with the sub-journal in a temporary file each
// update cost ~30 write calls (slack_load: 6 GB written for 100,000 updates).
TEST_CASE("savepoint_journal_written_to_disk: a store keeps its savepoint journal in memory", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  CHECK(store->sql().execAndGet("PRAGMA temp_store").getInt() == 2);  // MEMORY
}

TEST_CASE("reopening a migrated database changes nothing", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  std::string schema;
  {
    auto store = SqliteStore::open(path);
    store_one(*store);
    schema = schema_of(*store);
  }
  auto store = SqliteStore::open(path);
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());
  CHECK(schema_of(*store) == schema);
  CHECK(store->updates({}).size() == 1);
}

TEST_CASE("the database and its -wal and -shm files are readable by the owner only", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  // With no umask to help, the modes can only come from the store itself.
  const mode_t saved = ::umask(0);
  auto store = SqliteStore::open(path);
  store_one(*store);
  ::umask(saved);
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(path + "-wal") == 0600);
  CHECK(mode_of(path + "-shm") == 0600);
}

TEST_CASE("an existing database readable by others is made private", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  std::ofstream{path}.close();
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  SqliteStore::open(path);
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("a database newer than the binary is refused", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  const int newer = SqliteStore::latest_schema_version() + 1;
  SqliteStore::open(path)->sql().exec("PRAGMA user_version = " + std::to_string(newer));
  REQUIRE_THROWS_MATCHES(SqliteStore::open(path), StorageError,
                         Catch::Message(path + ": open: schema version " + std::to_string(newer) +
                                        " is newer than this binary supports (" + std::to_string(newer - 1) +
                                        "); run a newer microalign"));
}

TEST_CASE("errors name the file and SQLite's reason", "[sqlite]") {
  TempDir dir;
  SECTION("a directory that does not exist") {
    const auto path = dir.file("missing/bot.db");
    REQUIRE_THROWS_WITH(SqliteStore::open(path), Catch::StartsWith(path + ": create: No such file or directory"));
  }
  SECTION("a file that is not a database") {
    const auto path = dir.file("notes.txt");
    std::ofstream{path} << std::string(4096, 'x');
    REQUIRE_THROWS_WITH(SqliteStore::open(path),
                        Catch::StartsWith(path + ": ") && Catch::Contains("file is not a database"));
  }
}

TEST_CASE("schema_version_at reads a database's version without creating, migrating or changing it",
          "[doctor][sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  REQUIRE_THROWS_AS(SqliteStore::schema_version_at(path), StorageError);
  CHECK_FALSE(std::ifstream(path).good());  // not created

  SqliteStore::open(path)->sql().exec("PRAGMA user_version = 1");
  CHECK(SqliteStore::schema_version_at(path) == 1);
  CHECK(SqliteStore::schema_version_at(path) == 1);  // not migrated

  const int newer = SqliteStore::latest_schema_version() + 1;
  SqliteStore::open(dir.file("new.db"))->sql().exec("PRAGMA user_version = " + std::to_string(newer));
  CHECK(SqliteStore::schema_version_at(dir.file("new.db")) == newer);

  std::ofstream{dir.file("notes.txt")} << std::string(4096, 'x');
  REQUIRE_THROWS_WITH(SqliteStore::schema_version_at(dir.file("notes.txt")), Catch::Contains("file is not a database"));
}
