// Database files as an older binary left them, for the migration tests to fill and then open
// with SqliteStore::open: the embedded migrations up to a version, applied by hand.
#pragma once

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <string>

#include "../../storage/sqlite/migrations.hpp"

namespace microalign::storage::test {

// A new file at schema `version`, as the binary whose newest migration that was made it.
inline SQLite::Database database_at_version(const std::string& path, int version) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA foreign_keys = ON");  // as SqliteStore::open sets it
  int applied = 0;
  for (const Migration& m : migrations()) {
    if (m.version > version) break;
    db.exec(std::string(m.sql));
    applied = m.version;
  }
  REQUIRE(applied == version);
  db.exec("PRAGMA user_version = " + std::to_string(version));
  return db;
}

}  // namespace microalign::storage::test
