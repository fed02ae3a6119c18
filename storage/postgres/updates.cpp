// Updates on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

InsertResult PostgresStore::insert_update(const Update&, std::string_view) {
  throw StorageError("insert_update: not yet on PostgreSQL");
}

bool PostgresStore::mark_event_seen(std::string_view, SysTime) {
  throw StorageError("mark_event_seen: not yet on PostgreSQL");
}

std::size_t PostgresStore::prune_seen_events(SysTime) { throw StorageError("prune_seen_events: not yet on PostgreSQL"); }

void PostgresStore::set_echo_ref(std::int64_t, std::string_view) {
  throw StorageError("set_echo_ref: not yet on PostgreSQL");
}

std::optional<Update> PostgresStore::find_update(std::int64_t) {
  throw StorageError("find_update: not yet on PostgreSQL");
}

std::vector<Update> PostgresStore::updates(const ExportFilter&) { throw StorageError("updates: not yet on PostgreSQL"); }

}  // namespace microalign::storage
