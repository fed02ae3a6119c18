// Routes on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

void PostgresStore::remember_route(const std::string& platform, const std::string& team, const std::string& conversation, const std::string& address, SysTime at) {
  throw StorageError("remember_route: not yet on PostgreSQL");
}

std::optional<std::string> PostgresStore::route(const std::string& platform, const std::string& team, const std::string& conversation) {
  throw StorageError("route: not yet on PostgreSQL");
}

}  // namespace microalign::storage
