// Outbox on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

std::int64_t PostgresStore::enqueue(OutboxMessage) {
  throw StorageError("enqueue: not yet on PostgreSQL");
}

std::vector<OutboxMessage> PostgresStore::due_messages(std::string_view platform, SysTime now, int limit) {
  throw StorageError("due_messages: not yet on PostgreSQL");
}

std::optional<SysTime> PostgresStore::next_due(std::string_view platform) {
  throw StorageError("next_due: not yet on PostgreSQL");
}

std::optional<SentMessage> PostgresStore::sent_message(std::int64_t id) {
  throw StorageError("sent_message: not yet on PostgreSQL");
}

void PostgresStore::mark_sent(std::int64_t id, const SentMessage&, SysTime at) {
  throw StorageError("mark_sent: not yet on PostgreSQL");
}

void PostgresStore::retry_later(std::int64_t id, SysTime not_before, const std::string& error) {
  throw StorageError("retry_later: not yet on PostgreSQL");
}

void PostgresStore::mark_failed(std::int64_t id, const std::string& error, SysTime at) {
  throw StorageError("mark_failed: not yet on PostgreSQL");
}

std::size_t PostgresStore::prune_outbox(SysTime finished_before, std::size_t limit) {
  throw StorageError("prune_outbox: not yet on PostgreSQL");
}

std::optional<OutboxState> PostgresStore::outbox_state(std::int64_t id) {
  throw StorageError("outbox_state: not yet on PostgreSQL");
}

std::size_t PostgresStore::pending_count() {
  throw StorageError("pending_count: not yet on PostgreSQL");
}

std::vector<OutboxBacklog> PostgresStore::outbox_backlog() {
  throw StorageError("outbox_backlog: not yet on PostgreSQL");
}

}  // namespace microalign::storage
