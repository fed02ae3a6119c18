// The digest's facts. Updates are read through select_updates (whole, without a query per
// update); tickets through their summary rows, as nudges read them (update_reader).
#include "microalign/storage/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "sql_time.hpp"
#include "sql_values.hpp"
#include "statements.hpp"
#include "store_ops.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

Selection in_channel(const std::string& team, const std::string& channel) {
  Selection s;
  s.require("u.team = :team AND u.channel = :channel", {{":team", team}, {":channel", channel}});
  return s;
}

void require_open_assumption(Selection& s) {
  s.require(
      "u.kind = 'assumption'"
      " AND NOT EXISTS (SELECT 1 FROM assumption_answers a WHERE a.update_id = u.id)");
}

// The tickets `tickets` selects from `from` (`tickets t`, naming its index), in `order`, each with
// its latest update and its owner as nudges see it (update_reader). Without statistics SQLite
// would rather walk the team's whole primary key than the channel's partial index, so the ticket
// queries name the index they were written for.
std::vector<TicketSnapshot> snapshots(SQLite::Database& db, const std::string& from, const Selection& tickets,
                                      const std::string& order) {
  SQLite::Statement rows(db, std::string("SELECT ") + snapshot_columns + " FROM " + from + with_nudges +
                                 tickets.where() + " ORDER BY " + order);
  tickets.bind(rows);
  std::vector<TicketSnapshot> found;
  while (rows.executeStep()) found.push_back(read_snapshot(rows));
  attach_last_updates(db, found, [](TicketSnapshot& t) -> TicketSnapshot& { return t; });
  return found;
}

Selection tickets_in_channel(const std::string& team, const std::string& channel) {
  Selection s;
  s.require("t.team = :team AND t.channel = :channel", {{":team", team}, {":channel", channel}});
  return s;
}

}  // namespace

std::vector<Update> SqliteStore::updates_in_window(const std::string& team, const std::string& channel, SysTime from,
                                                   SysTime to) {
  Selection s = in_channel(team, channel);
  s.require("u.created_at > :from AND u.created_at <= :to", {{":from", to_sql(from)}, {":to", to_sql(to)}});
  return guarded(*this, "read updates in window", [&] { return select_updates(sql(), s); });
}

std::vector<TicketSnapshot> SqliteStore::troubled_tickets(const std::string& team, const std::string& channel) {
  Selection s = tickets_in_channel(team, channel);
  // Spelled as the index's own WHERE, so that SQLite can tell the index covers these rows.
  s.require("(t.last_state = 'blocked' OR t.last_state = 'delayed' OR t.last_state = 'at_risk')");
  return guarded(*this, "read troubled tickets", [&] {
    return snapshots(sql(), "tickets t INDEXED BY troubled_tickets_by_channel", s,
                     "CASE t.last_state WHEN 'blocked' THEN 0 WHEN 'delayed' THEN 1 ELSE 2 END,"
                     " t.state_since, t.key");
  });
}

std::vector<TicketSnapshot> SqliteStore::quiet_tickets(const std::string& team, const std::string& channel,
                                                       SysTime quiet_since) {
  Selection s = tickets_in_channel(team, channel);
  s.require("t.last_update_at <= :quiet_since AND t.last_state IS NOT 'done'", {{":quiet_since", to_sql(quiet_since)}});
  return guarded(*this, "read quiet tickets", [&] {
    return snapshots(sql(), "tickets t INDEXED BY open_tickets_by_channel", s, "t.last_update_at, t.key");
  });
}

std::vector<Update> SqliteStore::open_assumptions(const std::string& team, const std::string& channel) {
  Selection s = in_channel(team, channel);
  require_open_assumption(s);
  return guarded(*this, "read open assumptions", [&] { return select_updates(sql(), s); });
}

std::vector<Update> SqliteStore::ticket_timeline(const std::string& team, const std::string& key) {
  Selection s;
  // `+` keeps the team out of index choice: the ticket's few updates, found by key, are then
  // checked for the team, rather than the team's every update checked for the key.
  s.require(
      "+u.team = :team AND u.id IN (SELECT k.update_id FROM update_tickets k"
      " WHERE k.ticket_key = :key)",
      {{":team", team}, {":key", key}});
  auto timeline = guarded(*this, "read ticket timeline", [&] { return select_updates(sql(), s); });
  std::reverse(timeline.begin(), timeline.end());
  return timeline;
}

std::map<std::int64_t, std::string> SqliteStore::ticket_answers(const std::string& team, const std::string& key) {
  return guarded(*this, "read ticket answers", [&] {
    // By key first, as ticket_timeline reads: the ticket's few updates, then their answers.
    SQLite::Statement rows(sql(),
                           "SELECT a.update_id, a.user FROM update_tickets k"
                           " JOIN assumption_answers a ON a.update_id = k.update_id"
                           " JOIN updates u ON u.id = k.update_id"
                           " WHERE k.ticket_key = :key AND +u.team = :team");
    rows.bind(":key", key);
    rows.bind(":team", team);
    std::map<std::int64_t, std::string> answered_by;
    while (rows.executeStep()) answered_by.emplace(rows.getColumn(0).getInt64(), rows.getColumn(1).getString());
    return answered_by;
  });
}

std::vector<Update> SqliteStore::open_assumptions_at(const std::string& team, const std::string& channel,
                                                     const std::string& message_ts) {
  // "" names no message, though top-level updates have an empty thread and slash commands an
  // empty source_ref.
  if (message_ts.empty()) return {};
  Selection s;
  // One indexed lookup per way of pointing at the message; SQLite does not split an OR across
  // three indexes when team and channel sit outside it.
  s.require(
      "u.id IN ("
      "SELECT id FROM updates WHERE team = :team AND channel = :channel"
      " AND kind = 'assumption' AND echo_ref = :ts"
      " UNION ALL SELECT id FROM updates WHERE team = :team AND channel = :channel"
      " AND kind = 'assumption' AND source_ref = :ts"
      " UNION ALL SELECT id FROM updates WHERE team = :team AND channel = :channel"
      " AND kind = 'assumption' AND thread = :ts)",
      {{":team", team}, {":channel", channel}, {":ts", message_ts}});
  require_open_assumption(s);
  return guarded(*this, "read open assumptions at a message", [&] { return select_updates(sql(), s); });
}

void SqliteStore::record_answer(std::int64_t update_id, AnswerKind kind, const std::string& user, SysTime at) {
  require_transaction(*this, "storage::record_answer");
  guarded(*this, "record answer", [&] {
    SQLite::Statement q(sql(),
                        "INSERT INTO assumption_answers (update_id, kind, user, at)"
                        " VALUES (:update_id, :kind, :user, :at)"
                        " ON CONFLICT (update_id) DO NOTHING");
    q.bind(":update_id", update_id);
    q.bind(":kind", std::string(to_sql(kind)));
    q.bind(":user", user);
    q.bind(":at", to_sql(at));
    execute(q);
  });
}

}  // namespace microalign::storage
