// Updates on PostgreSQL: the write paths (updates with their tickets and links, seen events, echo
// references) and the Store's own reads (one update, the export's selection).
#include <algorithm>
#include <stdexcept>

#include "error.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

// One row per element, in order, for update_tickets and update_links.
void insert_list(pg::Connection& db, const char* table, const char* column, std::int64_t update_id,
                 const std::vector<std::string>& values) {
  if (values.empty()) return;
  const std::string sql = std::string("INSERT INTO ") + table + " (update_id, position, " + column +
                          ") SELECT :update_id, ordinality - 1, value"
                          " FROM unnest(:values::text[]) WITH ORDINALITY AS list (value, ordinality)";
  std::string array = "{";
  for (const auto& value : values) {
    array.push_back('"');
    for (char c : value) {
      if (c == '"' || c == '\\') array.push_back('\\');
      array.push_back(c);
    }
    array.append("\",");
  }
  array.back() = '}';
  pg::Query(db, sql).bind("update_id", update_id).bind("values", array).run();
}

// The summary follows the latest update, as in the SQLite engine (storage/sqlite/statements.cpp).
constexpr const char* upsert_ticket =
    "INSERT INTO tickets (team, key, channel, owner, last_update_id, last_state,"
    " last_update_at, first_seen_at, state_since)"
    " VALUES (:team, :key, :channel, :user, :update_id, :state, :at, :at, :at)"
    " ON CONFLICT (team, key) DO UPDATE SET"
    "  channel = excluded.channel,"
    "  owner = CASE WHEN :is_status::boolean THEN excluded.owner ELSE tickets.owner END,"
    "  last_update_id = excluded.last_update_id,"
    "  last_state = coalesce(excluded.last_state, tickets.last_state),"
    "  state_since = CASE WHEN excluded.last_state IS NULL"
    "                       OR excluded.last_state IS NOT DISTINCT FROM tickets.last_state"
    "                     THEN tickets.state_since ELSE excluded.last_update_at END,"
    "  last_update_at = excluded.last_update_at";

}  // namespace

InsertResult PostgresStore::insert_update(const Update& u, std::string_view event_id) {
  require_transaction(*this, "PostgresStore::insert_update");
  return guarded(*this, "insert update", [&]() -> InsertResult {
    auto& db = *connection_;
    const std::string event(event_id);
    const ParsedUpdate& p = u.parsed;
    const std::int64_t at = to_sql(u.created_at);
    if (!event.empty()) {
      // The event is claimed first: a replica handling the same event at the same moment waits
      // here for this transaction, then finds it taken (and the reverse).
      const auto claimed =
          pg::Query(db,
                    "INSERT INTO seen_events (event_id, seen_at, update_id) VALUES (:event_id, :at, NULL)"
                    " ON CONFLICT DO NOTHING")
              .bind("event_id", event)
              .bind("at", at)
              .run();
      if (claimed.affected() == 0) {
        const auto seen =
            pg::Query(db, "SELECT update_id FROM seen_events WHERE event_id = :event_id").bind("event_id", event).run();
        return {seen.rows() == 0 ? 0 : seen.int64(0, 0), true};
      }
    }

    const auto state = state_or_null(p.state);
    const auto inserted = pg::Query(db,
                                    "INSERT INTO updates (created_at, team, channel, thread, \"user\", source, kind,"
                                    " state, delay_days, blocked_on, text, echo_ref, source_ref)"
                                    " VALUES (:created_at, :team, :channel, :thread, :user, :source, :kind,"
                                    " :state, :delay_days, :blocked_on, :text, :echo_ref, :source_ref) RETURNING id")
                              .bind("created_at", at)
                              .bind("team", u.where.team)
                              .bind("channel", u.where.channel)
                              .bind("thread", u.where.thread)
                              .bind("user", u.user)
                              .bind("source", to_string(u.source))
                              .bind("kind", to_string(p.kind))
                              .bind("state", state)
                              .bind("delay_days", p.delay_days)
                              .bind("blocked_on", p.blocked_on)
                              .bind("text", p.text)
                              .bind("echo_ref", text_or_null(u.echo_ref))
                              .bind("source_ref", u.source_ref)
                              .run();
    const std::int64_t id = inserted.int64(0, 0);

    insert_list(db, "update_tickets", "ticket_key", id, p.tickets);
    insert_list(db, "update_links", "url", id, p.links);

    // In key order, so that two replicas writing updates on the same tickets lock their summary
    // rows in the same order and do not deadlock.
    std::vector<std::string> keys = p.tickets;
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const std::string& key : keys) {
      pg::Query(db, upsert_ticket)
          .bind("team", u.where.team)
          .bind("key", key)
          .bind("channel", u.where.channel)
          .bind("user", u.user)
          .bind("update_id", id)
          .bind("state", state)
          .bind("at", at)
          .bind("is_status", p.kind == UpdateKind::status)
          .run();
    }

    if (!event.empty()) {
      pg::Query(db, "UPDATE seen_events SET update_id = :update_id WHERE event_id = :event_id")
          .bind("update_id", id)
          .bind("event_id", event)
          .run();
    }
    return {id, false};
  });
}

bool PostgresStore::mark_event_seen(std::string_view event_id, SysTime at) {
  if (event_id.empty()) throw std::invalid_argument("PostgresStore::mark_event_seen needs an event id");
  return guarded(*this, "mark event seen", [&] {
    return pg::Query(*connection_,
                     "INSERT INTO seen_events (event_id, seen_at, update_id) VALUES (:event_id, :at, NULL)"
                     " ON CONFLICT DO NOTHING")
               .bind("event_id", event_id)
               .bind("at", to_sql(at))
               .run()
               .affected() == 1;
  });
}

std::size_t PostgresStore::prune_seen_events(SysTime older_than) {
  return guarded(*this, "prune seen events", [&] {
    return pg::Query(*connection_, "DELETE FROM seen_events WHERE seen_at < :before")
        .bind("before", to_sql(older_than))
        .run()
        .affected();
  });
}

void PostgresStore::set_echo_ref(std::int64_t update_id, std::string_view ref) {
  guarded(*this, "set echo ref", [&] {
    pg::Query(*connection_, "UPDATE updates SET echo_ref = :ref WHERE id = :id")
        .bind("ref", text_or_null(ref))
        .bind("id", update_id)
        .run();
  });
}

std::optional<Update> PostgresStore::find_update(std::int64_t id) {
  pg::Selection selection;
  selection.require("u.id = :id", {{"id", id}});
  auto found = guarded(*this, "find update", [&] { return select_updates(*connection_, selection); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Update> PostgresStore::updates(const ExportFilter& filter) {
  pg::Selection selection;
  if (!filter.team.empty()) selection.require("u.team = :team", {{"team", filter.team}});
  if (!filter.channel.empty()) selection.require("u.channel = :channel", {{"channel", filter.channel}});
  if (filter.since) selection.require("u.created_at >= :since", {{"since", to_sql(*filter.since)}});
  return guarded(*this, "read updates", [&] { return select_updates(*connection_, selection); });
}

}  // namespace microalign::storage
