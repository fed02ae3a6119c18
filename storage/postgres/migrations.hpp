// PostgreSQL's schema history, compiled from storage/postgres/migrations/NNN_name.sql. It starts
// at version 9 (the SQLite engine's schema then, in one step); later versions match SQLite's.
#pragma once

#include <span>

#include "../migration.hpp"

namespace microalign::storage::postgres {

// Every migration, ordered by strictly increasing version.
std::span<const Migration> migrations();

inline int latest_version() { return migrations().back().version; }

}  // namespace microalign::storage::postgres
