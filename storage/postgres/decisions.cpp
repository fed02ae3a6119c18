// The decision log on PostgreSQL (migrations/011_decisions.sql), as storage/sqlite/decisions.cpp.
#include "error.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

// The columns every read selects, over `decisions d`; the last is the newest decision superseding it.
constexpr const char* decision_columns =
    "SELECT d.id, d.created_at, d.team, d.channel, d.thread, d.owner, d.title, d.decision, d.rationale,"
    " d.impact, d.text, d.supersedes, d.source_ref,"
    " (SELECT max(s.id) FROM decisions s WHERE s.supersedes = d.id) FROM decisions d";

Decision read_decision(const pg::Result& rows, int row) {
  Decision d;
  d.id = rows.int64(row, 0);
  d.created_at = time_from_sql(rows.int64(row, 1));
  d.where = {rows.text(row, 2), rows.text(row, 3), rows.text(row, 4)};
  d.owner = rows.text(row, 5);
  d.parsed.title = rows.text(row, 6);
  d.parsed.decision = rows.text(row, 7);
  d.parsed.rationale = rows.text(row, 8);
  d.parsed.impact = rows.text(row, 9);
  d.parsed.text = rows.text(row, 10);
  d.parsed.supersedes = rows.optional_int64(row, 11);
  d.source_ref = rows.text(row, 12);
  d.superseded_by = rows.optional_int64(row, 13);
  return d;
}

std::vector<std::string> read_list(pg::Connection& db, const char* sql, std::int64_t id) {
  const auto rows = pg::Query(db, sql).bind("id", id).run();
  std::vector<std::string> values;
  for (int r = 0; r < rows.rows(); ++r) values.push_back(rows.text(r, 0));
  return values;
}

// The decisions the query selects, whole. Decisions are few (people write them by hand), so each
// one's lists are read by its id.
std::vector<Decision> read_decisions(pg::Connection& db, pg::Query& query) {
  const auto rows = query.run();
  std::vector<Decision> found;
  for (int r = 0; r < rows.rows(); ++r) found.push_back(read_decision(rows, r));
  for (auto& d : found) {
    d.parsed.tickets =
        read_list(db, "SELECT ticket_key FROM decision_tickets WHERE decision_id = :id ORDER BY position", d.id);
    d.parsed.links = read_list(db, "SELECT url FROM decision_links WHERE decision_id = :id ORDER BY position", d.id);
  }
  return found;
}

void insert_list(pg::Connection& db, const char* sql, std::int64_t id, const std::vector<std::string>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    pg::Query(db, sql).bind("id", id).bind("position", static_cast<std::int64_t>(i)).bind("value", values[i]).run();
  }
}

}  // namespace

DecisionInsertResult PostgresStore::insert_decision(const Decision& d, std::string_view event_id) {
  require_transaction(*this, "PostgresStore::insert_decision");
  return guarded(*this, "insert decision", [&]() -> DecisionInsertResult {
    auto& db = *connection_;
    const auto& p = d.parsed;
    const std::int64_t at = to_sql(d.created_at);
    if (p.supersedes) {
      const auto known = pg::Query(db, "SELECT 1 FROM decisions WHERE id = :id AND team = :team")
                             .bind("id", *p.supersedes)
                             .bind("team", d.where.team)
                             .run();
      if (known.rows() == 0) return {0, false, true};
    }
    const std::string event(event_id);
    if (!event.empty()) {
      // Claimed first, as for updates (storage/postgres/updates.cpp): a replica handling the same
      // event at the same moment waits here for this transaction, then finds it taken.
      const auto claimed = pg::Query(db,
                                     "INSERT INTO seen_events (event_id, seen_at) VALUES (:event_id, :at)"
                                     " ON CONFLICT DO NOTHING")
                               .bind("event_id", event)
                               .bind("at", at)
                               .run();
      if (claimed.affected() == 0) {
        const auto seen = pg::Query(db, "SELECT decision_id FROM seen_events WHERE event_id = :event_id")
                              .bind("event_id", event)
                              .run();
        return {seen.rows() == 0 ? 0 : seen.int64(0, 0), true, false};
      }
    }
    const auto inserted =
        pg::Query(db,
                  "INSERT INTO decisions (created_at, team, channel, thread, owner, title, decision, rationale,"
                  " impact, text, supersedes, source_ref) VALUES (:at, :team, :channel, :thread, :owner, :title,"
                  " :decision, :rationale, :impact, :text, :supersedes, :source_ref) RETURNING id")
            .bind("at", at)
            .bind("team", d.where.team)
            .bind("channel", d.where.channel)
            .bind("thread", d.where.thread)
            .bind("owner", d.owner)
            .bind("title", p.title)
            .bind("decision", p.decision)
            .bind("rationale", p.rationale)
            .bind("impact", p.impact)
            .bind("text", p.text)
            .bind("supersedes", p.supersedes)
            .bind("source_ref", d.source_ref)
            .run();
    const std::int64_t id = inserted.int64(0, 0);
    insert_list(db, "INSERT INTO decision_tickets (decision_id, position, ticket_key) VALUES (:id, :position, :value)",
                id, p.tickets);
    insert_list(db, "INSERT INTO decision_links (decision_id, position, url) VALUES (:id, :position, :value)", id,
                p.links);
    if (!event.empty()) {
      pg::Query(db, "UPDATE seen_events SET decision_id = :id WHERE event_id = :event_id")
          .bind("id", id)
          .bind("event_id", event)
          .run();
    }
    return {id, false, false};
  });
}

std::optional<Decision> PostgresStore::find_decision(std::int64_t id) {
  return guarded(*this, "find decision", [&]() -> std::optional<Decision> {
    pg::Query query(*connection_, std::string(decision_columns) + " WHERE d.id = :id");
    query.bind("id", id);
    auto found = read_decisions(*connection_, query);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

std::vector<Decision> PostgresStore::decisions(const ExportFilter& filter) {
  pg::Selection selection;
  if (!filter.team.empty()) selection.require("d.team = :team", {{"team", filter.team}});
  if (!filter.channel.empty()) selection.require("d.channel = :channel", {{"channel", filter.channel}});
  if (filter.since) selection.require("d.created_at >= :since", {{"since", to_sql(*filter.since)}});
  return guarded(*this, "read decisions", [&] {
    pg::Query query(*connection_, std::string(decision_columns) + selection.where() + " ORDER BY d.id");
    selection.bind(query);
    return read_decisions(*connection_, query);
  });
}

std::vector<Decision> PostgresStore::ticket_decisions(const std::string& team, const std::string& key) {
  return guarded(*this, "read a ticket's decisions", [&] {
    pg::Query query(*connection_, std::string(decision_columns) +
                                      " WHERE d.team = :team AND d.id IN"
                                      " (SELECT decision_id FROM decision_tickets WHERE ticket_key = :key)"
                                      " ORDER BY d.id DESC");
    query.bind("team", team).bind("key", key);
    return read_decisions(*connection_, query);
  });
}

}  // namespace microalign::storage
