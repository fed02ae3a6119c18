// People on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

void PostgresStore::remember_name(const std::string& team, const std::string& user, const std::string& name, SysTime at) {
  throw StorageError("remember_name: not yet on PostgreSQL");
}

std::map<std::string, std::string> PostgresStore::known_names(const std::string& team) {
  throw StorageError("known_names: not yet on PostgreSQL");
}

std::optional<std::string> PostgresStore::team_of_channel(const std::string& channel) {
  throw StorageError("team_of_channel: not yet on PostgreSQL");
}

void PostgresStore::remember_workspace(const std::string& team, const std::string& platform) {
  throw StorageError("remember_workspace: not yet on PostgreSQL");
}

std::optional<std::string> PostgresStore::workspace_platform(const std::string& team) {
  throw StorageError("workspace_platform: not yet on PostgreSQL");
}

void PostgresStore::remember_direct_conversation(const std::string& platform, const std::string& team, const std::string& user, const std::string& conversation, SysTime at) {
  throw StorageError("remember_direct_conversation: not yet on PostgreSQL");
}

std::optional<std::string> PostgresStore::direct_conversation(const std::string& platform, const std::string& team, const std::string& user) {
  throw StorageError("direct_conversation: not yet on PostgreSQL");
}

}  // namespace microalign::storage
