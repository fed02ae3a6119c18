// Channels on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

std::optional<ChannelSettings> PostgresStore::channel_settings(const std::string& team, const std::string& channel) {
  throw StorageError("channel_settings: not yet on PostgreSQL");
}

void PostgresStore::save_channel_settings(const ChannelSettings&) {
  throw StorageError("save_channel_settings: not yet on PostgreSQL");
}

std::vector<ChannelSettings> PostgresStore::scheduled_channels() {
  throw StorageError("scheduled_channels: not yet on PostgreSQL");
}

std::optional<DigestRun> PostgresStore::last_digest_run(const std::string& team, const std::string& channel) {
  throw StorageError("last_digest_run: not yet on PostgreSQL");
}

std::optional<DigestRun> PostgresStore::last_posted_digest(const std::string& team, const std::string& channel) {
  throw StorageError("last_posted_digest: not yet on PostgreSQL");
}

bool PostgresStore::record_digest_run(const DigestRun&) {
  throw StorageError("record_digest_run: not yet on PostgreSQL");
}

}  // namespace microalign::storage
