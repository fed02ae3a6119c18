// DigestFacts on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

std::vector<Update> PostgresStore::updates_in_window(const std::string& team, const std::string& channel, SysTime from, SysTime to) {
  throw StorageError("updates_in_window: not yet on PostgreSQL");
}

std::vector<TicketSnapshot> PostgresStore::troubled_tickets(const std::string& team, const std::string& channel) {
  throw StorageError("troubled_tickets: not yet on PostgreSQL");
}

std::vector<TicketSnapshot> PostgresStore::quiet_tickets(const std::string& team, const std::string& channel, SysTime quiet_since) {
  throw StorageError("quiet_tickets: not yet on PostgreSQL");
}

std::vector<Update> PostgresStore::open_assumptions(const std::string& team, const std::string& channel) {
  throw StorageError("open_assumptions: not yet on PostgreSQL");
}

std::vector<Update> PostgresStore::ticket_timeline(const std::string& team, const std::string& key) {
  throw StorageError("ticket_timeline: not yet on PostgreSQL");
}

std::map<std::int64_t, std::string> PostgresStore::ticket_answers(const std::string& team, const std::string& key) {
  throw StorageError("ticket_answers: not yet on PostgreSQL");
}

std::vector<Update> PostgresStore::open_assumptions_at(const std::string& team, const std::string& channel, const std::string& message_ts) {
  throw StorageError("open_assumptions_at: not yet on PostgreSQL");
}

void PostgresStore::record_answer(std::int64_t update_id, AnswerKind, const std::string& user, SysTime at) {
  throw StorageError("record_answer: not yet on PostgreSQL");
}

}  // namespace microalign::storage
