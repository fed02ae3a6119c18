// The Store's own reads: one update by id, and the export's selection.
#include "error.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "sql_time.hpp"
#include "update_reader.hpp"

namespace microalign::storage {

std::optional<Update> SqliteStore::find_update(std::int64_t id) {
  Selection selection;
  selection.require("u.id = :id", {{":id", id}});
  auto found = guarded(path_, "find update", [&] { return select_updates(*db_, selection); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Update> SqliteStore::updates(const ExportFilter& filter) {
  Selection selection;
  if (!filter.team.empty()) selection.require("u.team = :team", {{":team", filter.team}});
  if (!filter.channel.empty()) {
    selection.require("u.channel = :channel", {{":channel", filter.channel}});
  }
  if (filter.since) {
    selection.require("u.created_at >= :since", {{":since", to_sql(*filter.since)}});
  }
  return guarded(path_, "read updates", [&] { return select_updates(*db_, selection); });
}

}  // namespace microalign::storage
