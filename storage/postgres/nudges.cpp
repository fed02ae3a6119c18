// Nudges on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

void PostgresStore::set_time_zone(const std::string& team, const std::string& user, const std::string& zone) {
  throw StorageError("set_time_zone: not yet on PostgreSQL");
}

void PostgresStore::set_away(const std::string& team, const std::string& user, std::optional<std::chrono::year_month_day> until) {
  throw StorageError("set_away: not yet on PostgreSQL");
}

void PostgresStore::set_nudges_off(const std::string& team, const std::string& user, bool off) {
  throw StorageError("set_nudges_off: not yet on PostgreSQL");
}

void PostgresStore::record_nudge_dm(const std::string& team, const std::string& user, SysTime at) {
  throw StorageError("record_nudge_dm: not yet on PostgreSQL");
}

std::map<std::string, OwnerProfile> PostgresStore::owner_profiles(const std::string& team, const std::vector<std::string>& users) {
  throw StorageError("owner_profiles: not yet on PostgreSQL");
}

void PostgresStore::add_holidays(const std::string& team, const std::string& channel, std::chrono::year_month_day from, std::chrono::year_month_day to) {
  throw StorageError("add_holidays: not yet on PostgreSQL");
}

Holidays PostgresStore::channel_holidays(const std::string& team, const std::string& channel) {
  throw StorageError("channel_holidays: not yet on PostgreSQL");
}

bool PostgresStore::set_owner(const std::string& team, const std::string& key, const std::string& user) {
  throw StorageError("set_owner: not yet on PostgreSQL");
}

bool PostgresStore::snooze(const std::string& team, const std::string& key, SysTime until) {
  throw StorageError("snooze: not yet on PostgreSQL");
}

bool PostgresStore::record_nudge(const std::string& team, const std::string& key, std::int64_t update_id, SysTime at) {
  throw StorageError("record_nudge: not yet on PostgreSQL");
}

std::vector<NudgeCandidate> PostgresStore::nudge_candidates(SysTime not_updated_since) {
  throw StorageError("nudge_candidates: not yet on PostgreSQL");
}

std::vector<NudgeCandidate> PostgresStore::nudged_quiet_tickets(const std::string& team, const std::string& channel, SysTime not_updated_since) {
  throw StorageError("nudged_quiet_tickets: not yet on PostgreSQL");
}

std::vector<TicketSnapshot> PostgresStore::open_tickets(const std::string& team, const std::string& channel) {
  throw StorageError("open_tickets: not yet on PostgreSQL");
}

std::map<std::string, SysTime> PostgresStore::snoozed_tickets(const std::string& team, const std::string& channel, SysTime now) {
  throw StorageError("snoozed_tickets: not yet on PostgreSQL");
}

bool PostgresStore::ticket_named_before(const std::string& team, const std::string& key, std::int64_t update_id) {
  throw StorageError("ticket_named_before: not yet on PostgreSQL");
}

}  // namespace microalign::storage
