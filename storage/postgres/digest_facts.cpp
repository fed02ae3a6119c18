// The digest's facts on PostgreSQL, as the SQLite engine reads them (storage/sqlite/digest_facts.cpp):
// updates whole through select_updates, tickets through their summary rows as nudges read them
// (update_reader). PostgreSQL's planner picks the indexes from its statistics, so the statements
// need none of the SQLite engine's hints (INDEXED BY, unary +, an OR split into a UNION).
#include <algorithm>

#include "error.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

pg::Selection in_channel(const std::string& team, const std::string& channel) {
  pg::Selection s;
  s.require("u.team = :team AND u.channel = :channel", {{"team", team}, {"channel", channel}});
  return s;
}

void require_open_assumption(pg::Selection& s) {
  s.require(
      "u.kind = 'assumption'"
      " AND NOT EXISTS (SELECT 1 FROM assumption_answers a WHERE a.update_id = u.id)");
}

// The tickets `tickets` selects from `tickets t`, in `order`, each with its latest update and its
// owner as nudges see it (update_reader).
std::vector<TicketSnapshot> snapshots(pg::Connection& db, const pg::Selection& tickets, const std::string& order) {
  pg::Query query(db, std::string("SELECT ") + pg::snapshot_columns + " FROM tickets t" + pg::with_nudges +
                          tickets.where() + " ORDER BY " + order);
  tickets.bind(query);
  const auto rows = query.run();
  std::vector<TicketSnapshot> found;
  found.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) found.push_back(pg::read_snapshot(rows, i));
  pg::attach_last_updates(db, found, [](TicketSnapshot& t) -> TicketSnapshot& { return t; });
  return found;
}

pg::Selection tickets_in_channel(const std::string& team, const std::string& channel) {
  pg::Selection s;
  s.require("t.team = :team AND t.channel = :channel", {{"team", team}, {"channel", channel}});
  return s;
}

}  // namespace

std::vector<Update> PostgresStore::updates_in_window(const std::string& team, const std::string& channel, SysTime from,
                                                     SysTime to) {
  pg::Selection s = in_channel(team, channel);
  s.require("u.created_at > :from AND u.created_at <= :to", {{"from", to_sql(from)}, {"to", to_sql(to)}});
  return guarded(*this, "read updates in window", [&] { return pg::select_updates(*connection_, s); });
}

std::vector<TicketSnapshot> PostgresStore::troubled_tickets(const std::string& team, const std::string& channel) {
  pg::Selection s = tickets_in_channel(team, channel);
  // Spelled as the index's own WHERE, so that the planner can tell the index covers these rows.
  s.require("t.last_state IN ('blocked', 'delayed', 'at_risk')");
  return guarded(*this, "read troubled tickets", [&] {
    return snapshots(*connection_, s,
                     "CASE t.last_state WHEN 'blocked' THEN 0 WHEN 'delayed' THEN 1 ELSE 2 END,"
                     " t.state_since, t.key");
  });
}

std::vector<TicketSnapshot> PostgresStore::quiet_tickets(const std::string& team, const std::string& channel,
                                                         SysTime quiet_since) {
  pg::Selection s = tickets_in_channel(team, channel);
  s.require("t.last_update_at <= :quiet_since AND t.last_state IS DISTINCT FROM 'done'",
            {{"quiet_since", to_sql(quiet_since)}});
  return guarded(*this, "read quiet tickets", [&] { return snapshots(*connection_, s, "t.last_update_at, t.key"); });
}

std::vector<Update> PostgresStore::open_assumptions(const std::string& team, const std::string& channel) {
  pg::Selection s = in_channel(team, channel);
  require_open_assumption(s);
  return guarded(*this, "read open assumptions", [&] { return pg::select_updates(*connection_, s); });
}

std::vector<Update> PostgresStore::ticket_timeline(const std::string& team, const std::string& key) {
  pg::Selection s;
  s.require("u.team = :team AND u.id IN (SELECT k.update_id FROM update_tickets k WHERE k.ticket_key = :key)",
            {{"team", team}, {"key", key}});
  auto timeline = guarded(*this, "read ticket timeline", [&] { return pg::select_updates(*connection_, s); });
  std::reverse(timeline.begin(), timeline.end());
  return timeline;
}

std::map<std::int64_t, std::string> PostgresStore::ticket_answers(const std::string& team, const std::string& key) {
  return guarded(*this, "read ticket answers", [&] {
    const auto rows = pg::Query(*connection_,
                                "SELECT a.update_id, a.\"user\" FROM update_tickets k"
                                " JOIN assumption_answers a ON a.update_id = k.update_id"
                                " JOIN updates u ON u.id = k.update_id"
                                " WHERE k.ticket_key = :key AND u.team = :team")
                          .bind("key", key)
                          .bind("team", team)
                          .run();
    std::map<std::int64_t, std::string> answered_by;
    for (int i = 0; i < rows.rows(); ++i) answered_by.emplace(rows.int64(i, 0), rows.text(i, 1));
    return answered_by;
  });
}

std::vector<Update> PostgresStore::open_assumptions_at(const std::string& team, const std::string& channel,
                                                       const std::string& message_ts) {
  // "" names no message, though top-level updates have an empty thread and slash commands an
  // empty source_ref.
  if (message_ts.empty()) return {};
  pg::Selection s = in_channel(team, channel);
  // One condition per way of pointing at the message, each over an index of the channel's
  // assumptions, which PostgreSQL can OR together (a bitmap scan).
  s.require("(u.echo_ref = :ts OR u.source_ref = :ts OR u.thread = :ts)", {{"ts", message_ts}});
  require_open_assumption(s);
  return guarded(*this, "read open assumptions at a message", [&] { return pg::select_updates(*connection_, s); });
}

void PostgresStore::record_answer(std::int64_t update_id, AnswerKind kind, const std::string& user, SysTime at) {
  require_transaction(*this, "storage::record_answer");
  guarded(*this, "record answer", [&] {
    // A replica recording another answer at the same moment waits for this one, then keeps it.
    pg::Query(*connection_,
              "INSERT INTO assumption_answers (update_id, kind, \"user\", at)"
              " VALUES (:update_id, :kind, :user, :at)"
              " ON CONFLICT (update_id) DO NOTHING")
        .bind("update_id", update_id)
        .bind("kind", to_sql(kind))
        .bind("user", user)
        .bind("at", to_sql(at))
        .run();
  });
}

}  // namespace microalign::storage
