// The read paths, as the SQLite engine's (storage/sqlite/update_reader.cpp): the updates first,
// then each list (tickets, links) in one query over the ids found, merged by id.
#include "update_reader.hpp"

#include "sql_time.hpp"

namespace microalign::storage::pg {
namespace {

constexpr const char* update_columns =
    "u.id, u.created_at, u.team, u.channel, u.thread, u.\"user\", u.source, u.kind, u.state, u.delay_days,"
    " u.blocked_on, u.text, u.echo_ref, u.source_ref";

Update read_update(const Result& rows, int i) {
  Update u;
  u.id = rows.int64(i, 0);
  u.created_at = time_from_sql(rows.int64(i, 1));
  u.where.team = rows.text(i, 2);
  u.where.channel = rows.text(i, 3);
  u.where.thread = rows.text(i, 4);
  u.user = rows.text(i, 5);
  u.source = enum_from_sql(update_source_from_string(rows.text(i, 6)), "source");
  u.parsed.kind = enum_from_sql(update_kind_from_string(rows.text(i, 7)), "kind");
  if (!rows.is_null(i, 8)) u.parsed.state = enum_from_sql(ticket_state_from_string(rows.text(i, 8)), "state");
  if (!rows.is_null(i, 9)) u.parsed.delay_days = static_cast<int>(rows.int64(i, 9));
  u.parsed.blocked_on = rows.text(i, 10);
  u.parsed.text = rows.text(i, 11);
  u.echo_ref = rows.text(i, 12);  // NULL reads as ""
  u.source_ref = rows.text(i, 13);
  return u;
}

// Fills one list member of each update from `table` (update_tickets or update_links).
void attach(Connection& db, const std::string& ids, const std::string& table, const std::string& column,
            std::vector<std::string> ParsedUpdate::*list, std::vector<Update>& updates) {
  const auto rows = Query(db, "SELECT update_id, " + column + " FROM " + table +
                                  " WHERE update_id = ANY (:ids::bigint[]) ORDER BY update_id, position")
                        .bind("ids", ids)
                        .run();
  auto next = updates.begin();
  for (int i = 0; i < rows.rows(); ++i) {
    const std::int64_t id = rows.int64(i, 0);
    while (next->id < id) ++next;  // both sides ascend by id, and every row has its update
    (next->parsed.*list).push_back(rows.text(i, 1));
  }
}

std::vector<Update> read_updates(Connection& db, const Selection& selection) {
  Query query(db, std::string("SELECT ") + update_columns + " FROM updates u" + selection.where() + " ORDER BY u.id");
  selection.bind(query);
  const auto rows = query.run();
  std::vector<Update> updates;
  updates.reserve(static_cast<std::size_t>(rows.rows()));
  std::vector<std::int64_t> ids;
  ids.reserve(updates.capacity());
  for (int i = 0; i < rows.rows(); ++i) {
    updates.push_back(read_update(rows, i));
    ids.push_back(updates.back().id);
  }
  if (!updates.empty()) {
    const std::string list = id_array(ids);
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

void Selection::bind(Query& q) const {
  for (const auto& [param, value] : params_) {
    std::visit([&](const auto& v) { q.bind(param, v); }, value);
  }
}

std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string list = "{";
  for (std::int64_t id : ids) list.append(std::to_string(id)).push_back(',');
  if (ids.empty()) list.push_back(',');
  list.back() = '}';
  return list;
}

std::vector<Update> select_updates(Connection& db, const Selection& selection) { return read_updates(db, selection); }

TicketSnapshot read_snapshot(const Result& rows, int i) {
  TicketSnapshot t;
  t.key = rows.text(i, 0);
  t.owner = rows.text(i, 1);
  if (!rows.is_null(i, 2)) t.state = enum_from_sql(ticket_state_from_string(rows.text(i, 2)), "last_state");
  t.state_since = time_from_sql(rows.int64(i, 3));
  t.last_update_at = time_from_sql(rows.int64(i, 4));
  t.last_update.id = rows.int64(i, 5);
  return t;
}

std::vector<Update> updates_by_id(Connection& db, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  Selection selection;
  selection.require("u.id = ANY (:ids::bigint[])", {{"ids", id_array(ids)}});
  return read_updates(db, selection);
}

}  // namespace microalign::storage::pg
