// The read paths. An update's tickets and links live in their own tables; reading them with one
// query per update would make a large export crawl. So the updates are read first, and then
// each list in one pass over the ids found, ordered by update id and merged into the updates
// (also ordered by id). Going by id rather than repeating the selection spares SQLite from
// evaluating an expensive selection (unanswered assumptions, a ticket's latest update) again,
// and needs no read snapshot: an update's lists are written with it and never change.
#include "update_reader.hpp"

#include <algorithm>

#include "sql_time.hpp"

namespace microalign::storage {
namespace {

Update read_update(SQLite::Statement& row) {
  Update u;
  u.id = row.getColumn(0).getInt64();
  u.created_at = time_from_sql(row.getColumn(1).getInt64());
  u.where.team = row.getColumn(2).getString();
  u.where.channel = row.getColumn(3).getString();
  u.where.thread = row.getColumn(4).getString();
  u.user = row.getColumn(5).getString();
  u.source = enum_from_sql(update_source_from_string(row.getColumn(6).getText()), "source");
  u.parsed.kind = enum_from_sql(update_kind_from_string(row.getColumn(7).getText()), "kind");
  if (!row.getColumn(8).isNull()) {
    u.parsed.state = enum_from_sql(ticket_state_from_string(row.getColumn(8).getText()), "state");
  }
  if (!row.getColumn(9).isNull()) u.parsed.delay_days = row.getColumn(9).getInt();
  u.parsed.blocked_on = row.getColumn(10).getString();
  u.parsed.text = row.getColumn(11).getString();
  u.echo_ref = row.getColumn(12).getString();  // NULL reads as ""
  u.source_ref = row.getColumn(13).getString();
  return u;
}

// SQLite has no array parameter; json_each turns one text parameter, "[1,2,3]", into a list.
std::string json_array(const std::vector<std::int64_t>& ids) {
  std::string list = "[";
  for (std::int64_t id : ids) list.append(std::to_string(id)).push_back(',');
  list.back() = ']';  // ids is never empty here, so this replaces the last comma
  return list;
}

constexpr const char* in_id_list = "IN (SELECT value FROM json_each(:ids))";

// Fills one list member of each update from `table` (update_tickets or update_links).
void attach(SQLite::Database& db, const std::string& ids, const std::string& table, const std::string& column,
            std::vector<std::string> ParsedUpdate::*list, std::vector<Update>& updates) {
  SQLite::Statement rows(db, "SELECT update_id, " + column + " FROM " + table + " WHERE update_id " + in_id_list +
                                 " ORDER BY update_id, position");
  rows.bind(":ids", ids);
  auto next = updates.begin();
  while (rows.executeStep()) {
    const std::int64_t id = rows.getColumn(0).getInt64();
    while (next->id < id) ++next;  // both sides ascend by id, and every row has its update
    (next->parsed.*list).push_back(rows.getColumn(1).getString());
  }
}

// The updates `selection` matches, of which there are at most `at_most` (room is made for them
// at once), by id ascending, whole.
std::vector<Update> read_updates(SQLite::Database& db, const Selection& selection, std::size_t at_most) {
  std::vector<Update> updates;
  updates.reserve(at_most);
  std::vector<std::int64_t> ids;
  ids.reserve(at_most);
  SQLite::Statement rows(db,
                         "SELECT u.id, u.created_at, u.team, u.channel, u.thread, u.user, "
                         "u.source, u.kind, u.state, u.delay_days, u.blocked_on, u.text, "
                         "u.echo_ref, u.source_ref FROM updates u" +
                             selection.where());
  selection.bind(rows);
  while (rows.executeStep()) updates.push_back(read_update(rows));
  // Sorted here rather than by ORDER BY: read through a time index the rows come by time, and
  // SQLite would copy every whole row through its sorter, where this moves only the handles
  // (ten times faster for a day of a busy channel). Usually they are in order already.
  const auto by_id = [](const Update& a, const Update& b) { return a.id < b.id; };
  if (!std::is_sorted(updates.begin(), updates.end(), by_id)) {
    std::sort(updates.begin(), updates.end(), by_id);
  }
  for (const Update& u : updates) ids.push_back(u.id);
  if (!updates.empty()) {
    const std::string list = json_array(ids);
    attach(db, list, "update_tickets", "ticket_key", &ParsedUpdate::tickets, updates);
    attach(db, list, "update_links", "url", &ParsedUpdate::links, updates);
  }
  return updates;
}

}  // namespace

void Selection::require(std::string condition, std::vector<Param> params) {
  where_ += where_.empty() ? " WHERE " : " AND ";
  where_ += condition;
  for (auto& param : params) params_.push_back(std::move(param));
}

void Selection::bind(SQLite::Statement& s) const {
  for (const auto& [param, value] : params_) {
    std::visit([&](const auto& v) { s.bind(param, v); }, value);
  }
}

std::vector<Update> select_updates(SQLite::Database& db, const Selection& selection) {
  // Counting first costs one index scan and spares moving every update, and faulting in fresh
  // pages, each time the vector grows.
  SQLite::Statement counted(db, "SELECT count(*) FROM updates u" + selection.where());
  selection.bind(counted);
  counted.executeStep();
  return read_updates(db, selection, static_cast<std::size_t>(counted.getColumn(0).getInt64()));
}

TicketSnapshot read_snapshot(SQLite::Statement& row) {
  TicketSnapshot t;
  t.key = row.getColumn(0).getString();
  t.owner = row.getColumn(1).getString();
  if (!row.getColumn(2).isNull()) {
    t.state = enum_from_sql(ticket_state_from_string(row.getColumn(2).getText()), "last_state");
  }
  t.state_since = time_from_sql(row.getColumn(3).getInt64());
  t.last_update_at = time_from_sql(row.getColumn(4).getInt64());
  t.last_update.id = row.getColumn(5).getInt64();
  return t;
}

std::vector<Update> updates_by_id(SQLite::Database& db, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  Selection selection;
  selection.require(std::string("u.id ") + in_id_list, {{":ids", json_array(ids)}});
  // At most one update per id: no need to count them first (a tenth of the time over 20,000).
  return read_updates(db, selection, ids.size());
}

}  // namespace microalign::storage
