// Reading updates whole (with their tickets and links) for any selection of rows, and tickets'
// summary rows as snapshots with their latest updates: the PostgreSQL engine's counterpart of
// storage/sqlite/update_reader.hpp, shared by its Store's reads, digest facts and nudges.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "microalign/core/digest.hpp"
#include "microalign/core/model.hpp"
#include "pg.hpp"

namespace microalign::storage::pg {

// A WHERE clause built from the conditions asked for, and the values of their parameters.
class Selection {
 public:
  using Value = std::variant<std::string, std::int64_t>;
  using Param = std::pair<std::string, Value>;

  // Adds `condition` (ANDed with the others) and the values of the parameters it names.
  void require(std::string condition, std::vector<Param> params = {});

  const std::string& where() const { return where_; }  // "" or " WHERE a AND b"
  void bind(Query&) const;

 private:
  std::string where_;
  std::vector<Param> params_;
};

// Every update matched by `selection` (conditions over `updates u`), by id ascending, with its
// tickets and links.
std::vector<Update> select_updates(Connection&, const Selection& selection);

// The updates with these ids (in any order, repeats allowed), by id ascending, whole.
std::vector<Update> updates_by_id(Connection&, const std::vector<std::int64_t>& ids);

// "{1,2,3}": a list of ids as one parameter, read in SQL as `= ANY (:ids::bigint[])`.
std::string id_array(const std::vector<std::int64_t>& ids);

template <typename Enum>
Enum enum_from_sql(std::optional<Enum> value, const char* column) {
  // The schema's CHECKs make this unreachable short of a row edited by hand.
  if (!value) throw Error(std::string("unknown value in column ") + column, "");
  return *value;
}

// ---- Tickets (as storage/sqlite/update_reader.hpp)

inline constexpr const char* snapshot_columns =
    "t.key, coalesce(n.owner_override, t.owner), t.last_state, t.state_since, t.last_update_at,"
    " t.last_update_id";
inline constexpr int snapshot_column_count = 6;
inline constexpr const char* with_nudges = " LEFT JOIN ticket_nudges n ON n.team = t.team AND n.key = t.key";

// The snapshot in row `row`'s first columns; of its last update only the id, until
// attach_last_updates reads them all.
TicketSnapshot read_snapshot(const Result&, int row);

// Replaces each snapshot's last update (only its id read so far) with the whole update, read in
// one batch.
template <typename Item, typename Snapshot>
void attach_last_updates(Connection& db, std::vector<Item>& items, Snapshot snapshot_of) {
  std::vector<std::int64_t> ids;
  ids.reserve(items.size());
  for (Item& item : items) ids.push_back(snapshot_of(item).last_update.id);
  std::vector<Update> updates = updates_by_id(db, ids);  // by id ascending
  for (std::size_t i = 0; i < items.size(); ++i) {
    // Every summary row points at a stored update (a foreign key): it is there.
    const auto found = std::lower_bound(updates.begin(), updates.end(), ids[i],
                                        [](const Update& u, std::int64_t id) { return u.id < id; });
    snapshot_of(items[i]).last_update = *found;
  }
}

}  // namespace microalign::storage::pg
