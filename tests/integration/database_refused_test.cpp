// `microalign run` and `microalign export` given a MICROALIGN_DB that is not theirs to use: each
// exits 1 with one line naming the file (or the PostgreSQL server) and why, and the database is
// exactly as it was.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <fstream>
#include <iterator>

#include "bot_harness.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "postgres_schema.hpp"
#include "process.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

std::string bytes_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Everything `run` needs to get as far as opening the database (which comes before the network).
Process::Environment run_environment(const std::filesystem::path& db) {
  return {{"SLACK_APP_TOKEN", FakeSlack::Options{}.app_token},
          {"SLACK_BOT_TOKEN", FakeSlack::Options{}.bot_token},
          {"MICROALIGN_DB", db.string()},
          {"MICROALIGN_HTTP_ADDR", "127.0.0.1:0"}};
}

void check_refused(const TempDir& dir, const std::filesystem::path& db, const std::string& why) {
  const auto before = bytes_of(db);
  const auto modified = std::filesystem::last_write_time(db);
  for (const auto& verb : {"run", "export"}) {
    INFO(verb);
    const auto r = run_to_end({verb}, run_environment(db), dir.path());
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(db.string()) && Catch::Contains(why));
    CHECK(r.out.empty());
  }
  CHECK(bytes_of(db) == before);
  CHECK(std::filesystem::last_write_time(db) == modified);
  for (const char* beside : {"-wal", "-shm", "-journal"}) CHECK_FALSE(std::filesystem::exists(db.string() + beside));
}

}  // namespace

TEST_CASE("run and export refuse a file that is not a database, and leave it untouched", "[cli][storage]") {
  TempDir dir;
  const auto db = dir.path() / "notes.txt";
  std::ofstream(db) << "shopping: bread, milk\n";
  check_refused(dir, db, "file is not a database");
}

TEST_CASE("run and export refuse another application's SQLite database, and leave it untouched", "[cli][storage]") {
  TempDir dir;
  const auto db = dir.path() / "recipes.db";
  SQLite::Database(db.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE recipes (title TEXT)");
  check_refused(dir, db, "not a microalign database");
}

TEST_CASE("run and export refuse a database a newer microalign wrote, saying so", "[cli][storage]") {
  TempDir dir;
  const auto db = dir.path() / "bot.db";
  const int newer = storage::SqliteStore::latest_schema_version() + 1;
  storage::SqliteStore::open(db.string())->sql().exec("PRAGMA user_version = " + std::to_string(newer));
  for (const auto& verb : {"run", "export"}) {
    INFO(verb);
    const auto r = run_to_end({verb}, run_environment(db), dir.path());
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains(db.string()) && Catch::Contains("newer than this binary supports") &&
                          Catch::Contains("run a newer microalign"));
  }
  CHECK(storage::SqliteStore::schema_version_at(db.string()) == newer);
}

TEST_CASE("doctor says another application's database is not microalign's, and leaves it untouched",
          "[doctor][storage]") {
  TempDir dir;
  const auto db = dir.path() / "recipes.db";
  SQLite::Database(db.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE recipes (title TEXT)");
  const auto before = bytes_of(db);
  const auto r = run_to_end({"doctor"}, {{"MICROALIGN_DB", db.string()}}, dir.path());
  CHECK(r.status != 0);
  CHECK_THAT(r.out, Catch::Contains("not a microalign database") && !Catch::Contains("migrates it"));
  CHECK(bytes_of(db) == before);
}

TEST_CASE("run and export refuse another application's PostgreSQL schema, and leave it untouched",
          "[cli][storage][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  TempDir dir;
  db.sql("CREATE TABLE recipes (title TEXT); INSERT INTO recipes VALUES ('bread')");
  for (const auto& verb : {"run", "export"}) {
    INFO(verb);
    auto env = run_environment(db.uri());
    env["PGPASSFILE"] = std::getenv("PGPASSFILE");
    const auto r = run_to_end({verb}, env, dir.path());
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("postgresql://microalign@127.0.0.1:") &&
                          Catch::Contains("not a microalign database (its schema holds other tables: recipes)"));
    CHECK(r.out.empty());
  }
  const auto after = storage::PostgresStore::inspect(db.uri());
  CHECK(after.schema_version == 0);
  CHECK(after.foreign_tables == "recipes");
}

TEST_CASE("run and export refuse a PostgreSQL schema a newer microalign wrote, saying so", "[cli][storage][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  TempDir dir;
  const int newer = storage::PostgresStore::latest_schema_version() + 1;
  storage::PostgresStore::open(db.uri());
  db.sql("UPDATE microalign_schema SET version = " + std::to_string(newer));
  for (const auto& verb : {"run", "export"}) {
    INFO(verb);
    auto env = run_environment(db.uri());
    env["PGPASSFILE"] = std::getenv("PGPASSFILE");
    const auto r = run_to_end({verb}, env, dir.path());
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("newer than this binary supports") && Catch::Contains("run a newer microalign"));
  }
  CHECK(storage::PostgresStore::inspect(db.uri()).schema_version == newer);
}
