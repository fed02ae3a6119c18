// The write paths: updates with their tickets and links, seen events, echo references.
#include <stdexcept>

#include "error.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "statements.hpp"
#include "store_ops.hpp"

namespace microalign::storage {
namespace {

// One row per element, in order, for update_tickets and update_links.
void insert_list(SQLite::Statement& s, std::int64_t update_id, const std::vector<std::string>& values) {
  s.bind(":update_id", update_id);
  for (std::size_t i = 0; i < values.size(); ++i) {
    s.bind(":position", static_cast<std::int64_t>(i));
    s.bind(":value", values[i]);
    execute(s);
  }
}

}  // namespace

InsertResult SqliteStore::insert_update(const Update& u, std::string_view event_id) {
  require_transaction(*this, "SqliteStore::insert_update");
  return guarded(path_, "insert update", [&]() -> InsertResult {
    Statements& s = *stmts_;
    const std::string event(event_id);
    if (!event.empty()) {
      ResetOnExit reset{s.find_event};
      s.find_event.bind(":event_id", event);
      if (s.find_event.executeStep()) return {s.find_event.getColumn(0).getInt64(), true};
    }

    const ParsedUpdate& p = u.parsed;
    const std::int64_t at = to_sql(u.created_at);
    const auto state = state_or_null(p.state);
    s.insert_update.bind(":created_at", at);
    s.insert_update.bind(":team", u.where.team);
    s.insert_update.bind(":channel", u.where.channel);
    s.insert_update.bind(":thread", u.where.thread);
    s.insert_update.bind(":user", u.user);
    s.insert_update.bind(":source", std::string(to_string(u.source)));
    s.insert_update.bind(":kind", std::string(to_string(p.kind)));
    bind_optional(s.insert_update, ":state", state);
    bind_optional(s.insert_update, ":delay_days", p.delay_days);
    s.insert_update.bind(":blocked_on", p.blocked_on);
    s.insert_update.bind(":text", p.text);
    bind_optional(s.insert_update, ":echo_ref", text_or_null(u.echo_ref));
    s.insert_update.bind(":source_ref", u.source_ref);
    execute(s.insert_update);
    const std::int64_t id = db_->getLastInsertRowid();

    insert_list(s.insert_ticket, id, p.tickets);
    insert_list(s.insert_link, id, p.links);

    // Everything but the key is the same for each ticket the update names: bound once.
    s.upsert_ticket.bind(":team", u.where.team);
    s.upsert_ticket.bind(":channel", u.where.channel);
    s.upsert_ticket.bind(":user", u.user);
    s.upsert_ticket.bind(":update_id", id);
    bind_optional(s.upsert_ticket, ":state", state);
    s.upsert_ticket.bind(":at", at);
    s.upsert_ticket.bind(":is_status", p.kind == UpdateKind::status ? 1 : 0);
    for (const std::string& key : p.tickets) {
      s.upsert_ticket.bind(":key", key);
      execute(s.upsert_ticket);
    }

    if (!event.empty()) {
      s.insert_event.bind(":event_id", event);
      s.insert_event.bind(":seen_at", at);
      s.insert_event.bind(":update_id", id);
      execute(s.insert_event);
    }
    return {id, false};
  });
}

bool SqliteStore::mark_event_seen(std::string_view event_id, SysTime at) {
  if (event_id.empty()) throw std::invalid_argument("SqliteStore::mark_event_seen needs an event id");
  return guarded(path_, "mark event seen", [&] {
    stmts_->insert_event.bind(":event_id", std::string(event_id));
    stmts_->insert_event.bind(":seen_at", to_sql(at));
    stmts_->insert_event.bind(":update_id");
    return execute(stmts_->insert_event) == 1;
  });
}

std::size_t SqliteStore::prune_seen_events(SysTime older_than) {
  return guarded(path_, "prune seen events", [&] {
    SQLite::Statement prune(*db_, "DELETE FROM seen_events WHERE seen_at < :before");
    prune.bind(":before", to_sql(older_than));
    return static_cast<std::size_t>(prune.exec());
  });
}

void SqliteStore::set_echo_ref(std::int64_t update_id, std::string_view ref) {
  guarded(path_, "set echo ref", [&] {
    bind_optional(stmts_->set_echo_ref, ":ref", text_or_null(ref));
    stmts_->set_echo_ref.bind(":id", update_id);
    execute(stmts_->set_echo_ref);
  });
}

}  // namespace microalign::storage
