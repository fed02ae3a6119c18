// What the trackers said happened to tickets, on PostgreSQL (migrations/012_tracker_activity.sql),
// as the SQLite engine keeps it (storage/sqlite/tracker_log.cpp).
#include "error.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"

namespace microalign::storage {
namespace {

constexpr const char* activity_columns =
    "a.tracker, a.delivery_id, a.ticket_key, a.action, a.at, a.actor, a.item, a.url, a.detail, a.commits";

std::vector<TrackerActivity> read_activity(const pg::Result& rows) {
  std::vector<TrackerActivity> found;
  found.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    TrackerActivity a;
    // The table's CHECKs admit only the names these read.
    a.tracker = tracker_from_string(rows.text(i, 0)).value_or(Tracker::github);
    a.delivery_id = rows.text(i, 1);
    a.tickets = {rows.text(i, 2)};
    a.action = tracker_action_from_string(rows.text(i, 3)).value_or(TrackerAction::commented);
    a.at = time_from_sql(rows.int64(i, 4));
    a.actor = rows.text(i, 5);
    a.item = rows.text(i, 6);
    a.url = rows.text(i, 7);
    a.detail = rows.text(i, 8);
    a.commits = static_cast<int>(rows.int64(i, 9));
    found.push_back(std::move(a));
  }
  return found;
}

}  // namespace

bool PostgresStore::record_tracker_activity(const TrackerActivity& a) {
  require_transaction(*this, "storage::record_tracker_activity");
  return guarded(*this, "record tracker activity", [&] {
    const bool closes = closes_ticket(a.action);
    const bool reopens = reopens_ticket(a.action);
    bool stored = false;
    for (const std::string& key : a.tickets) {
      const auto inserted = pg::Query(*connection_,
                                      "INSERT INTO tracker_activity (tracker, delivery_id, ticket_key, action, at,"
                                      " actor, item, url, detail, commits)"
                                      " VALUES (:tracker, :delivery_id, :key, :action, :at::bigint, :actor, :item,"
                                      " :url, :detail, :commits::integer)"
                                      " ON CONFLICT (tracker, delivery_id, ticket_key) DO NOTHING RETURNING 1")
                                .bind("tracker", to_string(a.tracker))
                                .bind("delivery_id", a.delivery_id)
                                .bind("key", key)
                                .bind("action", to_string(a.action))
                                .bind("at", to_sql(a.at))
                                .bind("actor", a.actor)
                                .bind("item", a.item)
                                .bind("url", a.url)
                                .bind("detail", a.detail)
                                .bind("commits", a.commits)
                                .run();
      if (inserted.rows() == 0) continue;  // a replay
      stored = true;
      // The same key in every team; a state stated in chat after the activity stands.
      pg::Query(*connection_,
                "UPDATE tickets SET last_update_at = GREATEST(last_update_at, :at::bigint),"
                " last_state = CASE WHEN state_since > :at::bigint THEN last_state"
                "                   WHEN :closes::boolean THEN 'done'"
                "                   WHEN :reopens::boolean AND last_state = 'done' THEN NULL"
                "                   ELSE last_state END,"
                " state_since = CASE WHEN state_since > :at::bigint THEN state_since"
                "                    WHEN :closes::boolean AND last_state IS DISTINCT FROM 'done' THEN :at::bigint"
                "                    WHEN :reopens::boolean AND last_state = 'done' THEN :at::bigint"
                "                    ELSE state_since END"
                " WHERE key = :key")
          .bind("at", to_sql(a.at))
          .bind("closes", closes)
          .bind("reopens", reopens)
          .bind("key", key)
          .run();
    }
    return stored;
  });
}

std::vector<TrackerActivity> PostgresStore::ticket_tracker_activity(const std::string& key, std::size_t limit) {
  return guarded(*this, "read a ticket's tracker activity", [&] {
    return read_activity(pg::Query(*connection_, std::string("SELECT ") + activity_columns +
                                                     " FROM tracker_activity a WHERE a.ticket_key = :key"
                                                     " ORDER BY a.at DESC, a.id DESC LIMIT :limit::bigint")
                             .bind("key", key)
                             .bind("limit", static_cast<std::int64_t>(limit))
                             .run());
  });
}

std::vector<TrackerActivity> PostgresStore::tracker_activity_in_window(const std::string& team,
                                                                       const std::string& channel, SysTime from,
                                                                       SysTime to) {
  return guarded(*this, "read tracker activity in window", [&] {
    return read_activity(pg::Query(*connection_, std::string("SELECT ") + activity_columns +
                                                     " FROM tickets t JOIN tracker_activity a ON a.ticket_key = t.key"
                                                     " WHERE t.team = :team AND t.channel = :channel"
                                                     " AND a.at > :from::bigint AND a.at <= :to::bigint"
                                                     " ORDER BY a.at, a.id")
                             .bind("team", team)
                             .bind("channel", channel)
                             .bind("from", to_sql(from))
                             .bind("to", to_sql(to))
                             .run());
  });
}

}  // namespace microalign::storage
