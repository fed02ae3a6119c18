// One step of a schema's history. Each engine compiles its own from its migrations/NNN_name.sql
// files (storage/embed_migrations.cmake), so a deployed binary never depends on files next to it.
// Both engines number them alike: a version names the same schema in either.
#pragma once

#include <string_view>

namespace microalign::storage {

struct Migration {
  int version;            // NNN: the database's schema version once this has been applied
  std::string_view name;  // the file name's rest, for error messages
  std::string_view sql;   // the whole file; many statements, but no BEGIN/COMMIT: it runs in one
};

}  // namespace microalign::storage
