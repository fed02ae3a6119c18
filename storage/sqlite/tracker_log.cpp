// What the trackers said happened to tickets (migrations/012_tracker_activity.sql).
#include <SQLiteCpp/Statement.h>

#include "microalign/storage/sqlite_store.hpp"
#include "sql_time.hpp"
#include "statements.hpp"
#include "store_ops.hpp"

namespace microalign::storage {
namespace {

constexpr const char* activity_columns =
    "a.tracker, a.delivery_id, a.ticket_key, a.action, a.at, a.actor, a.item, a.url, a.detail, a.commits";

std::vector<TrackerActivity> read_activity(SQLite::Statement& q) {
  ResetOnExit reset{q};
  std::vector<TrackerActivity> found;
  while (q.executeStep()) {
    TrackerActivity a;
    // The table's CHECKs admit only the names these read.
    a.tracker = tracker_from_string(q.getColumn(0).getString()).value_or(Tracker::github);
    a.delivery_id = q.getColumn(1).getString();
    a.tickets = {q.getColumn(2).getString()};
    a.action = tracker_action_from_string(q.getColumn(3).getString()).value_or(TrackerAction::commented);
    a.at = time_from_sql(q.getColumn(4).getInt64());
    a.actor = q.getColumn(5).getString();
    a.item = q.getColumn(6).getString();
    a.url = q.getColumn(7).getString();
    a.detail = q.getColumn(8).getString();
    a.commits = q.getColumn(9).getInt();
    found.push_back(std::move(a));
  }
  return found;
}

}  // namespace

bool SqliteStore::record_tracker_activity(const TrackerActivity& a) {
  require_transaction(*this, "storage::record_tracker_activity");
  return guarded(*this, "record tracker activity", [&] {
    const bool closes = closes_ticket(a.action);
    const bool reopens = reopens_ticket(a.action);
    bool stored = false;
    for (const std::string& key : a.tickets) {
      auto& insert = prepared(
          "INSERT INTO tracker_activity (tracker, delivery_id, ticket_key, action, at, actor, item, url, detail,"
          " commits) VALUES (:tracker, :delivery_id, :key, :action, :at, :actor, :item, :url, :detail, :commits)"
          " ON CONFLICT (tracker, delivery_id, ticket_key) DO NOTHING");
      insert.bind(":tracker", std::string(to_string(a.tracker)));
      insert.bind(":delivery_id", a.delivery_id);
      insert.bind(":key", key);
      insert.bind(":action", std::string(to_string(a.action)));
      insert.bind(":at", to_sql(a.at));
      insert.bind(":actor", a.actor);
      insert.bind(":item", a.item);
      insert.bind(":url", a.url);
      insert.bind(":detail", a.detail);
      insert.bind(":commits", a.commits);
      if (execute(insert) == 0) continue;  // a replay
      stored = true;
      // The same key in every team (through tickets_by_key); a state stated in chat after the
      // activity stands.
      auto& touch = prepared(
          "UPDATE tickets SET last_update_at = max(last_update_at, :at),"
          " last_state = CASE WHEN state_since > :at THEN last_state"
          "                   WHEN :closes THEN 'done'"
          "                   WHEN :reopens AND last_state = 'done' THEN NULL"
          "                   ELSE last_state END,"
          " state_since = CASE WHEN state_since > :at THEN state_since"
          "                    WHEN :closes AND last_state IS NOT 'done' THEN :at"
          "                    WHEN :reopens AND last_state = 'done' THEN :at"
          "                    ELSE state_since END"
          " WHERE key = :key");
      touch.bind(":at", to_sql(a.at));
      touch.bind(":closes", closes ? 1 : 0);
      touch.bind(":reopens", reopens ? 1 : 0);
      touch.bind(":key", key);
      execute(touch);
    }
    return stored;
  });
}

std::vector<TrackerActivity> SqliteStore::ticket_tracker_activity(const std::string& key, std::size_t limit) {
  return guarded(*this, "read a ticket's tracker activity", [&] {
    auto& q = prepared(std::string("SELECT ") + activity_columns +
                       " FROM tracker_activity a WHERE a.ticket_key = :key ORDER BY a.at DESC, a.id DESC LIMIT :limit");
    q.bind(":key", key);
    q.bind(":limit", static_cast<std::int64_t>(limit));
    return read_activity(q);
  });
}

std::vector<TrackerActivity> SqliteStore::tracker_activity_in_window(const std::string& team,
                                                                     const std::string& channel, SysTime from,
                                                                     SysTime to) {
  return guarded(*this, "read tracker activity in window", [&] {
    auto& q = prepared(std::string("SELECT ") + activity_columns +
                       " FROM tickets t JOIN tracker_activity a ON a.ticket_key = t.key"
                       " WHERE t.team = :team AND t.channel = :channel AND a.at > :from AND a.at <= :to"
                       " ORDER BY a.at, a.id");
    q.bind(":team", team);
    q.bind(":channel", channel);
    q.bind(":from", to_sql(from));
    q.bind(":to", to_sql(to));
    return read_activity(q);
  });
}

}  // namespace microalign::storage
