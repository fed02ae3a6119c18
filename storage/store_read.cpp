// The read paths. An update's tickets and links live in their own tables; reading them with one
// query per update would make a large export crawl, so each list is read in one pass over the
// same selection, ordered by update id, and merged into the updates (also ordered by id).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <variant>

#include "error.hpp"
#include "microalign/storage/store.hpp"
#include "sql_time.hpp"

namespace microalign::storage {
namespace {

// A WHERE clause over `updates u` built from the conditions asked for, so that SQLite can use
// the (team, channel, created_at) index for exactly the columns given.
class Selection {
 public:
  using Value = std::variant<std::string, std::int64_t>;

  // `condition` names one parameter, `param`, which takes `value`.
  void require(std::string condition, std::string param, Value value) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += condition;
    params_.emplace_back(std::move(param), std::move(value));
  }

  const std::string& where() const { return where_; }

  void bind(SQLite::Statement& s) const {
    for (const auto& [param, value] : params_) {
      std::visit([&](const auto& v) { s.bind(param, v); }, value);
    }
  }

 private:
  std::string where_;
  std::vector<std::pair<std::string, Value>> params_;
};

template <typename Enum>
Enum enum_from_sql(std::optional<Enum> value, const char* column) {
  // The schema's CHECKs make this unreachable short of a file edited by hand.
  if (!value) throw SQLite::Exception(std::string("unknown value in column ") + column);
  return *value;
}

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
  return u;
}

// Fills one list member of each update from `table` (update_tickets or update_links).
void attach(SQLite::Database& db, const Selection& selection, const std::string& table,
            const std::string& column, std::vector<std::string> ParsedUpdate::*list,
            std::vector<Update>& updates) {
  SQLite::Statement rows(db, "SELECT x.update_id, x." + column + " FROM " + table +
                                 " x JOIN updates u ON u.id = x.update_id" + selection.where() +
                                 " ORDER BY x.update_id, x.position");
  selection.bind(rows);
  auto next = updates.begin();
  while (rows.executeStep()) {
    const std::int64_t id = rows.getColumn(0).getInt64();
    while (next->id < id) ++next;  // both sides ascend by id, and every row has its update
    (next->parsed.*list).push_back(rows.getColumn(1).getString());
  }
}

std::vector<Update> select_updates(SQLite::Database& db, const Selection& selection) {
  // The passes must see the same rows even while another process writes: one read snapshot.
  std::optional<SQLite::Transaction> snapshot;
  if (sqlite3_get_autocommit(db.getHandle()) != 0) snapshot.emplace(db);
  // Counting first costs one index scan and spares copying every update as the vector grows.
  SQLite::Statement counted(db, "SELECT count(*) FROM updates u" + selection.where());
  selection.bind(counted);
  counted.executeStep();
  std::vector<Update> updates;
  updates.reserve(static_cast<std::size_t>(counted.getColumn(0).getInt64()));
  SQLite::Statement rows(db,
                         "SELECT u.id, u.created_at, u.team, u.channel, u.thread, u.user, "
                         "u.source, u.kind, u.state, u.delay_days, u.blocked_on, u.text, "
                         "u.echo_ref FROM updates u" +
                             selection.where() + " ORDER BY u.id");
  selection.bind(rows);
  while (rows.executeStep()) updates.push_back(read_update(rows));
  if (!updates.empty()) {
    attach(db, selection, "update_tickets", "ticket_key", &ParsedUpdate::tickets, updates);
    attach(db, selection, "update_links", "url", &ParsedUpdate::links, updates);
  }
  if (snapshot) snapshot->commit();
  return updates;
}

}  // namespace

std::optional<Update> Store::find_update(std::int64_t id) {
  Selection selection;
  selection.require("u.id = :id", ":id", id);
  auto found = guarded(path_, "find update", [&] { return select_updates(*db_, selection); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Update> Store::updates(const ExportFilter& filter) {
  Selection selection;
  if (!filter.team.empty()) selection.require("u.team = :team", ":team", filter.team);
  if (!filter.channel.empty()) selection.require("u.channel = :channel", ":channel", filter.channel);
  if (filter.since) selection.require("u.created_at >= :since", ":since", to_sql(*filter.since));
  return guarded(path_, "read updates", [&] { return select_updates(*db_, selection); });
}

}  // namespace microalign::storage
