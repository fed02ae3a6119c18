#include "database.hpp"

#include "microalign/storage/postgres_store.hpp"
#include "microalign/storage/sqlite_store.hpp"

namespace microalign::cli {

Database::Database(const Config& config) {
  if (config.postgres.empty()) {
    connections_.push_back(storage::SqliteStore::open(config.db_path));
  } else {
    for (int i = 0; i < config.db_pool; ++i)
      connections_.push_back(storage::PostgresStore::open(config.postgres.reveal()));
  }
  std::vector<storage::Engine*> workers;
  for (auto& connection : connections_) workers.push_back(connection.get());
  commits_ = std::make_unique<storage::CommitQueue>(std::move(workers));
}

Database::~Database() { commits_->stop(); }

}  // namespace microalign::cli
