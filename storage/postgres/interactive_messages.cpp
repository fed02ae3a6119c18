// InteractiveMessages on PostgreSQL. (Stubs: being ported from storage/sqlite.)
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "pg.hpp"

namespace microalign::storage {

void PostgresStore::keep_interactive(const MessageRef&, const Message&, SysTime at) {
  throw StorageError("keep_interactive: not yet on PostgreSQL");
}

std::optional<Message> PostgresStore::interactive_message(const MessageRef&) {
  throw StorageError("interactive_message: not yet on PostgreSQL");
}

std::size_t PostgresStore::forget_interactive_messages(SysTime updated_before, std::size_t limit) {
  throw StorageError("forget_interactive_messages: not yet on PostgreSQL");
}

}  // namespace microalign::storage
