// Brings a database's schema up to the newest migration compiled into the binary.
#pragma once

#include <string>

namespace SQLite {
class Database;
}

namespace microalign::storage {

// The schema version recorded in the file (PRAGMA user_version; 0 for a new file).
int schema_version(SQLite::Database&);

// Applies, in order, every migration newer than the file's schema version, each in its own
// transaction together with the version bump, so a crash leaves the file at some whole version.
// A file newer than the binary is refused. Throws StorageError naming `path`.
void migrate(SQLite::Database&, const std::string& path);

}  // namespace microalign::storage
