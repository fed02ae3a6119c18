// A MICROALIGN_DB that names a file which is not microalign's (random bytes, text, another
// application's SQLite database) is refused naming the file, and the file is left exactly as it
// was found: same bytes, same modification time, same mode, no -wal, -shm or -journal beside it.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "fixtures.hpp"
#include "microalign/storage/sqlite_store.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::TempDir;

namespace {

// Everything about a file that opening it could change.
struct FileState {
  std::string bytes;
  timespec modified{};
  mode_t mode = 0;

  static FileState of(const std::string& path) {
    FileState s;
    std::ifstream in(path, std::ios::binary);
    s.bytes.assign(std::istreambuf_iterator<char>(in), {});
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    s.modified = st.st_mtim;
    s.mode = st.st_mode;
    return s;
  }
  bool operator==(const FileState& o) const {
    return bytes == o.bytes && modified.tv_sec == o.modified.tv_sec && modified.tv_nsec == o.modified.tv_nsec &&
           mode == o.mode;
  }
};

void write_random_bytes(const std::string& path) {
  std::mt19937 random(13);
  std::string bytes(8192, '\0');
  for (auto& b : bytes) b = static_cast<char>(random());
  std::ofstream(path, std::ios::binary) << bytes;
}

// Another program's database: tables of its own, schema version 0, in the default journal mode.
void write_other_application_database(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT); CREATE TABLE cooks (name TEXT)");
  db.exec("INSERT INTO recipes (title) VALUES ('bread')");
}

void check_refused_untouched(const std::string& path, const std::string& why) {
  // Readable by others on purpose: opening a database of ours would make it private.
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  const auto before = FileState::of(path);
  REQUIRE_THROWS_WITH(SqliteStore::open(path), Catch::StartsWith(path + ": open: ") && Catch::Contains(why));
  CHECK(FileState::of(path) == before);
  for (const char* beside : {"-wal", "-shm", "-journal"}) CHECK_FALSE(std::filesystem::exists(path + beside));
}

}  // namespace

TEST_CASE("a file of random bytes is refused as not a database, and left untouched", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("random.db");
  write_random_bytes(path);
  check_refused_untouched(path, "file is not a database");
}

TEST_CASE("a text file is refused as not a database, and left untouched", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("notes.txt");
  std::ofstream(path) << "MICROALIGN_DB should not point here.\nThese are someone's notes.\n";
  check_refused_untouched(path, "file is not a database");
}

TEST_CASE(
    "foreign_database_migrated: another application's SQLite database is refused naming its tables, and left "
    "untouched",
    "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("recipes.db");
  write_other_application_database(path);
  check_refused_untouched(path, "not a microalign database (it holds other tables: recipes, cooks)");
}

TEST_CASE("a database newer than the binary is refused and keeps its bytes", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  const int newer = SqliteStore::latest_schema_version() + 1;
  SqliteStore::open(path)->sql().exec("PRAGMA user_version = " + std::to_string(newer));
  const auto before = FileState::of(path);
  REQUIRE_THROWS_WITH(SqliteStore::open(path), Catch::Contains("newer than this binary supports"));
  CHECK(FileState::of(path).bytes == before.bytes);
}

TEST_CASE("an empty file is taken as a new database", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  std::ofstream{path}.close();
  CHECK(SqliteStore::open(path)->schema_version() == SqliteStore::latest_schema_version());
}

TEST_CASE("schema_version_at refuses another application's database rather than call it not yet migrated",
          "[doctor][sqlite]") {
  TempDir dir;
  const auto path = dir.file("recipes.db");
  write_other_application_database(path);
  const auto before = FileState::of(path);
  REQUIRE_THROWS_WITH(SqliteStore::schema_version_at(path), Catch::Contains("not a microalign database"));
  CHECK(FileState::of(path) == before);
}
