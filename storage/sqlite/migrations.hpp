// The schema's history, compiled into the binary from storage/migrations/NNN_name.sql by
// embed_migrations.cmake, so a deployed binary never depends on files next to it.
#pragma once

#include <span>
#include <string_view>

namespace microalign::storage {

struct Migration {
  int version;            // NNN: the database's PRAGMA user_version once this has been applied
  std::string_view name;  // the file name's rest, for error messages
  std::string_view sql;   // the whole file; many statements, but no BEGIN/COMMIT: it runs in one
};

// Every migration, ordered by strictly increasing version.
std::span<const Migration> migrations();

inline int latest_version() { return migrations().back().version; }

}  // namespace microalign::storage
