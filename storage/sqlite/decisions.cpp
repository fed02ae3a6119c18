// The decision log (migrations/011_decisions.sql): decisions with their tickets and links, the
// event each came in, and which decision supersedes which.
#include <SQLiteCpp/Statement.h>

#include "microalign/storage/sqlite_store.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "statements.hpp"
#include "store_ops.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

// The columns every read selects, over `decisions d`; the last is the newest decision superseding it.
constexpr const char* decision_columns =
    "SELECT d.id, d.created_at, d.team, d.channel, d.thread, d.owner, d.title, d.decision, d.rationale,"
    " d.impact, d.text, d.supersedes, d.source_ref,"
    " (SELECT max(s.id) FROM decisions s WHERE s.supersedes = d.id) FROM decisions d";

Decision read_decision(SQLite::Statement& row) {
  Decision d;
  d.id = row.getColumn(0).getInt64();
  d.created_at = time_from_sql(row.getColumn(1).getInt64());
  d.where = {row.getColumn(2).getString(), row.getColumn(3).getString(), row.getColumn(4).getString()};
  d.owner = row.getColumn(5).getString();
  d.parsed.title = row.getColumn(6).getString();
  d.parsed.decision = row.getColumn(7).getString();
  d.parsed.rationale = row.getColumn(8).getString();
  d.parsed.impact = row.getColumn(9).getString();
  d.parsed.text = row.getColumn(10).getString();
  if (!row.getColumn(11).isNull()) d.parsed.supersedes = row.getColumn(11).getInt64();
  d.source_ref = row.getColumn(12).getString();
  if (!row.getColumn(13).isNull()) d.superseded_by = row.getColumn(13).getInt64();
  return d;
}

// A decision's list (tickets or links), in order.
std::vector<std::string> read_list(SqliteStore& store, const char* sql, std::int64_t id) {
  auto& q = store.prepared(sql);
  ResetOnExit reset{q};
  q.bind(":id", id);
  std::vector<std::string> values;
  while (q.executeStep()) values.push_back(q.getColumn(0).getString());
  return values;
}

// The decisions the query selects, whole. Decisions are few (people write them by hand), so each
// one's lists are read by its id.
std::vector<Decision> read_decisions(SqliteStore& store, SQLite::Statement& q) {
  std::vector<Decision> found;
  while (q.executeStep()) found.push_back(read_decision(q));
  for (auto& d : found) {
    d.parsed.tickets =
        read_list(store, "SELECT ticket_key FROM decision_tickets WHERE decision_id = :id ORDER BY position", d.id);
    d.parsed.links = read_list(store, "SELECT url FROM decision_links WHERE decision_id = :id ORDER BY position", d.id);
  }
  return found;
}

void insert_list(SqliteStore& store, const char* sql, std::int64_t id, const std::vector<std::string>& values) {
  auto& q = store.prepared(sql);
  for (std::size_t i = 0; i < values.size(); ++i) {
    q.bind(":id", id);
    q.bind(":position", static_cast<std::int64_t>(i));
    q.bind(":value", values[i]);
    execute(q);
  }
}

}  // namespace

DecisionInsertResult SqliteStore::insert_decision(const Decision& d, std::string_view event_id) {
  require_transaction(*this, "SqliteStore::insert_decision");
  return guarded(*this, "insert decision", [&]() -> DecisionInsertResult {
    const auto& p = d.parsed;
    if (p.supersedes) {
      auto& known = prepared("SELECT 1 FROM decisions WHERE id = :id AND team = :team");
      ResetOnExit reset{known};
      known.bind(":id", *p.supersedes);
      known.bind(":team", d.where.team);
      if (!known.executeStep()) return {0, false, true};
    }
    const std::string event(event_id);
    if (!event.empty()) {
      auto& seen = prepared("SELECT decision_id FROM seen_events WHERE event_id = :event_id");
      ResetOnExit reset{seen};
      seen.bind(":event_id", event);
      if (seen.executeStep()) return {seen.getColumn(0).isNull() ? 0 : seen.getColumn(0).getInt64(), true, false};
    }
    auto& insert = prepared(
        "INSERT INTO decisions (created_at, team, channel, thread, owner, title, decision, rationale, impact,"
        " text, supersedes, source_ref) VALUES (:at, :team, :channel, :thread, :owner, :title, :decision,"
        " :rationale, :impact, :text, :supersedes, :source_ref)");
    insert.bind(":at", to_sql(d.created_at));
    insert.bind(":team", d.where.team);
    insert.bind(":channel", d.where.channel);
    insert.bind(":thread", d.where.thread);
    insert.bind(":owner", d.owner);
    insert.bind(":title", p.title);
    insert.bind(":decision", p.decision);
    insert.bind(":rationale", p.rationale);
    insert.bind(":impact", p.impact);
    insert.bind(":text", p.text);
    bind_optional(insert, ":supersedes", p.supersedes);
    insert.bind(":source_ref", d.source_ref);
    execute(insert);
    const std::int64_t id = sql().getLastInsertRowid();
    insert_list(*this,
                "INSERT INTO decision_tickets (decision_id, position, ticket_key) VALUES (:id, :position, :value)", id,
                p.tickets);
    insert_list(*this, "INSERT INTO decision_links (decision_id, position, url) VALUES (:id, :position, :value)", id,
                p.links);
    if (!event.empty()) {
      auto& seen = prepared(
          "INSERT INTO seen_events (event_id, seen_at, decision_id) VALUES (:event_id, :at, :id)"
          " ON CONFLICT DO NOTHING");
      seen.bind(":event_id", event);
      seen.bind(":at", to_sql(d.created_at));
      seen.bind(":id", id);
      execute(seen);
    }
    return {id, false, false};
  });
}

std::optional<Decision> SqliteStore::find_decision(std::int64_t id) {
  return guarded(*this, "find decision", [&]() -> std::optional<Decision> {
    SQLite::Statement q(sql(), std::string(decision_columns) + " WHERE d.id = :id");
    q.bind(":id", id);
    auto found = read_decisions(*this, q);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

std::vector<Decision> SqliteStore::decisions(const ExportFilter& filter) {
  Selection selection;
  if (!filter.team.empty()) selection.require("d.team = :team", {{":team", filter.team}});
  if (!filter.channel.empty()) selection.require("d.channel = :channel", {{":channel", filter.channel}});
  if (filter.since) selection.require("d.created_at >= :since", {{":since", to_sql(*filter.since)}});
  return guarded(*this, "read decisions", [&] {
    SQLite::Statement q(sql(), std::string(decision_columns) + selection.where() + " ORDER BY d.id");
    selection.bind(q);
    return read_decisions(*this, q);
  });
}

std::vector<Decision> SqliteStore::ticket_decisions(const std::string& team, const std::string& key) {
  return guarded(*this, "read a ticket's decisions", [&] {
    SQLite::Statement q(sql(), std::string(decision_columns) +
                                   " WHERE d.team = :team AND d.id IN"
                                   " (SELECT decision_id FROM decision_tickets WHERE ticket_key = :key)"
                                   " ORDER BY d.id DESC");
    q.bind(":team", team);
    q.bind(":key", key);
    return read_decisions(*this, q);
  });
}

}  // namespace microalign::storage
