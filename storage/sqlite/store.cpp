// Opening a Store, and the transaction controls the commit queue drives.
#include "microalign/storage/sqlite_store.hpp"

#include <sqlite3.h>

#include "error.hpp"
#include "migrate.hpp"
#include "migrations.hpp"
#include "private_file.hpp"
#include "statements.hpp"
#include "store_ops.hpp"

namespace microalign::storage {
namespace {

// Another process (a CLI export next to the running bot) may hold the lock for a moment.
constexpr int busy_timeout_ms = 5000;

void configure(SQLite::Database& db, const std::string& path) {
  // WAL lets readers run beside the writer, and with synchronous=FULL every commit is fsynced
  // before it returns: an acknowledged update survives a crash or a power cut.
  const std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal") {
    throw storage_error(path, "open", "cannot use write-ahead logging (journal_mode is " + mode + ")");
  }
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // A digest reads a channel's recent updates, tickets and assumptions at once; SQLite's default
  // 2 MB page cache misses most of them on a busy workspace (measured: 42 ms → 23 ms a digest).
  db.exec("PRAGMA cache_size = -32000");
  // Every item of a group commit runs in a savepoint, and a savepoint keeps the pages it changes
  // in a sub-journal: in a temporary file by default, so each update cost ~30 write calls and
  // ~60 KB written (6 GB for 100,000 updates, measured with slack_load). In memory it is a copy.
  db.exec("PRAGMA temp_store = MEMORY");
}

// MICROALIGN_DB pointing at another application's database must not turn it into ours: a file
// at schema version 0 (nothing migrated yet) must be empty. Reading it also refuses a file that
// is not SQLite at all ("file is not a database"), before anything is written to it.
void refuse_foreign(SQLite::Database& db, const std::string& path) {
  // One statement, so one snapshot: another process migrating the new file at this moment commits
  // its tables and their version together, and is never seen half-way (tables at version 0).
  SQLite::Statement q(db,
                      "SELECT (SELECT user_version FROM pragma_user_version),"
                      " (SELECT coalesce(group_concat(name, ', '), '') FROM sqlite_schema WHERE type = 'table')");
  q.executeStep();
  if (q.getColumn(0).getInt() != 0) return;
  const std::string tables = q.getColumn(1).getString();
  if (tables.empty()) return;
  throw storage_error(path, "open",
                      "not a microalign database (it holds other tables: " + tables +
                          "); left untouched: set MICROALIGN_DB to another file");
}

}  // namespace

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path) {
  // Created here rather than by SQLite, which would use 0644: SQLite then opens it without
  // OPEN_CREATE, so the file it uses is the one whose mode was set.
  create_private_file(path);
  // NOMUTEX: one thread uses a Store at a time (store.hpp), so SQLite need not lock the
  // connection on every call; that locking was ~5% of reading the nudge candidates.
  auto db = guarded(path, "open", [&] {
    return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, busy_timeout_ms);
  });
  // Only reads so far: a file that is not ours is refused exactly as it was found.
  guarded(path, "open", [&] { refuse_foreign(*db, path); });
  make_private(path);
  guarded(path, "configure", [&] { configure(*db, path); });
  migrate(*db, path);
  return guarded(path, "prepare statements",
                 [&] { return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db), path)); });
}

SqliteStore::SqliteStore(std::unique_ptr<SQLite::Database> db, std::string path)
    : db_(std::move(db)), path_(std::move(path)), stmts_(std::make_unique<Statements>(*db_)) {}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() const {
  return guarded(path_, "read schema version", [&] { return storage::schema_version(*db_); });
}

int SqliteStore::latest_schema_version() { return latest_version(); }

int SqliteStore::schema_version_at(const std::string& path) {
  return guarded(path, "read schema version", [&] {
    SQLite::Database db(path, SQLite::OPEN_READONLY, busy_timeout_ms);
    refuse_foreign(db, path);  // version 0 would read as "not migrated yet"
    return storage::schema_version(db);
  });
}

void SqliteStore::begin() {
  guarded(path_, "begin", [&] { execute(stmts_->begin); });
}

void SqliteStore::commit() {
  guarded(path_, "commit", [&] { execute(stmts_->commit); });
}

void SqliteStore::rollback() {
  if (!in_transaction()) return;
  guarded(path_, "rollback", [&] { execute(stmts_->rollback); });
}

bool SqliteStore::in_transaction() const { return sqlite3_get_autocommit(db_->getHandle()) == 0; }

void SqliteStore::savepoint() {
  guarded(path_, "savepoint", [&] { execute(stmts_->savepoint); });
}

void SqliteStore::release_savepoint() {
  guarded(path_, "release savepoint", [&] { execute(stmts_->release_savepoint); });
}

void SqliteStore::rollback_to_savepoint() {
  // ROLLBACK TO keeps the savepoint open; releasing it too leaves the batch as before the item.
  guarded(path_, "rollback to savepoint", [&] {
    execute(stmts_->rollback_to_savepoint);
    execute(stmts_->release_savepoint);
  });
}

bool SqliteStore::claim_job(std::string_view) {
  require_transaction(*this, "storage::claim_job");
  return true;  // this transaction holds the write lock: no other can be doing anything
}

SQLite::Database& SqliteStore::sql() { return *db_; }

SQLite::Statement& SqliteStore::prepared(const std::string& sql_text) { return stmts_->cached(sql_text); }

}  // namespace microalign::storage
