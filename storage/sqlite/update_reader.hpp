// Reading updates whole (with their tickets and links) for any selection of rows: the Store's own
// reads and the digest queries share it, so there is one way of turning rows into Updates. And
// reading tickets' summary rows as snapshots with their latest updates, for the digest and the
// nudges alike, so that both see the same owner.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "microalign/core/digest.hpp"
#include "microalign/core/model.hpp"

namespace microalign::storage {

// A WHERE clause built from the conditions asked for, and the values of their parameters. Only
// the conditions given are written, so that SQLite can pick the index for exactly those.
class Selection {
 public:
  using Value = std::variant<std::string, std::int64_t>;
  using Param = std::pair<std::string, Value>;

  // Adds `condition` (ANDed with the others) and the values of the parameters it names.
  void require(std::string condition, std::vector<Param> params = {});

  const std::string& where() const { return where_; }  // "" or " WHERE a AND b"
  void bind(SQLite::Statement&) const;

 private:
  std::string where_;
  std::vector<Param> params_;
};

// Every update matched by `selection` (conditions over `updates u`), by id ascending, with its
// tickets and links.
std::vector<Update> select_updates(SQLite::Database&, const Selection& selection);

// The updates with these ids (in any order, repeats allowed), by id ascending, whole.
std::vector<Update> updates_by_id(SQLite::Database&, const std::vector<std::int64_t>& ids);

template <typename Enum>
Enum enum_from_sql(std::optional<Enum> value, const char* column) {
  // The schema's CHECKs make this unreachable short of a file edited by hand.
  if (!value) throw SQLite::Exception(std::string("unknown value in column ") + column);
  return *value;
}

// ---- Tickets

// The columns a ticket read starts with, over `tickets t` joined `with_nudges`: a snapshot, its
// owner the one named by hand (ticket_nudges.owner_override) when there is one, then its last
// update's id. read_snapshot reads them; the query's own columns follow, from
// snapshot_column_count on.
inline constexpr const char* snapshot_columns =
    "t.key, coalesce(n.owner_override, t.owner), t.last_state, t.state_since, t.last_update_at,"
    " t.last_update_id";
inline constexpr int snapshot_column_count = 6;
inline constexpr const char* with_nudges = " LEFT JOIN ticket_nudges n ON n.team = t.team AND n.key = t.key";

// The snapshot in the row's first columns; of its last update only the id, until
// attach_last_updates reads them all.
TicketSnapshot read_snapshot(SQLite::Statement& row);

// Replaces each snapshot's last update (only its id read so far) with the whole update, read in
// one batch. Stored updates never change, so they need no read snapshot shared with the tickets.
template <typename Item, typename Snapshot>
void attach_last_updates(SQLite::Database& db, std::vector<Item>& items, Snapshot snapshot_of) {
  std::vector<std::int64_t> ids;
  ids.reserve(items.size());
  for (Item& item : items) ids.push_back(snapshot_of(item).last_update.id);
  std::vector<Update> updates = updates_by_id(db, ids);  // by id ascending
  // Each update is moved to the last ticket that names it, copied only to the others.
  std::vector<std::size_t> update_of(items.size());
  std::vector<int> uses(updates.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    // Every summary row points at a stored update (a foreign key): it is there.
    update_of[i] =
        static_cast<std::size_t>(std::lower_bound(updates.begin(), updates.end(), ids[i],
                                                  [](const Update& u, std::int64_t id) { return u.id < id; }) -
                                 updates.begin());
    ++uses[update_of[i]];
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    Update& update = updates[update_of[i]];
    Update& last = snapshot_of(items[i]).last_update;
    if (--uses[update_of[i]] == 0) {
      last = std::move(update);
    } else {
      last = update;
    }
  }
}

}  // namespace microalign::storage
