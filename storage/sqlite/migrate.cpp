#include "migrate.hpp"

#include <SQLiteCpp/Database.h>

#include "error.hpp"
#include "migrations.hpp"

namespace microalign::storage {

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

void migrate(SQLite::Database& db, const std::string& path) {
  const int known = latest_version();
  const int found = guarded(path, "read schema version", [&] { return schema_version(db); });
  if (found > known) {
    throw storage_error(path, "open",
                        "schema version " + std::to_string(found) + " is newer than this binary supports (" +
                            std::to_string(known) + "); run a newer microalign");
  }
  for (const Migration& m : migrations()) {
    if (m.version <= found) continue;
    const std::string doing = "migration " + std::to_string(m.version) + "_" + std::string(m.name);
    guarded(path, doing, [&] {
      try {
        db.exec("BEGIN IMMEDIATE");
        // Another process may have applied it while this one waited for the write lock.
        if (schema_version(db) < m.version) {
          db.exec(std::string(m.sql));
          db.exec("PRAGMA user_version = " + std::to_string(m.version));
        }
        db.exec("COMMIT");
      } catch (const SQLite::Exception&) {
        db.tryExec("ROLLBACK");
        throw;
      }
    });
  }
}

}  // namespace microalign::storage
