// SQLite's schema history, compiled from storage/sqlite/migrations/NNN_name.sql.
#pragma once

#include <span>

#include "../migration.hpp"

namespace microalign::storage {

// Every migration, ordered by strictly increasing version.
std::span<const Migration> migrations();

inline int latest_version() { return migrations().back().version; }

}  // namespace microalign::storage
