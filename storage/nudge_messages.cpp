#include "microalign/storage/nudge_messages.hpp"

#include <SQLiteCpp/Statement.h>

#include "sql_time.hpp"
#include "statements.hpp"
#include "store_ops.hpp"

namespace microalign::storage {
namespace {

void bind_ref(SQLite::Statement& q, const MessageRef& ref) {
  q.bind(":team", ref.team);
  q.bind(":channel", ref.channel);
  q.bind(":ts", ref.ts);
}

}  // namespace

void remember_nudge_message(Store& store, const MessageRef& ref, const std::string& blocks_json, SysTime at) {
  require_transaction(store, "storage::remember_nudge_message");
  guarded(store, "remember a nudge message", [&] {
    SQLite::Statement q(store.sql(),
                        "INSERT INTO nudge_messages (team, channel, ts, blocks, updated_at)"
                        " VALUES (:team, :channel, :ts, :blocks, :at)"
                        " ON CONFLICT (team, channel, ts) DO UPDATE SET blocks = excluded.blocks,"
                        " updated_at = excluded.updated_at");
    bind_ref(q, ref);
    q.bind(":blocks", blocks_json);
    q.bind(":at", to_sql(at));
    execute(q);
  });
}

std::optional<std::string> nudge_message_blocks(Store& store, const MessageRef& ref) {
  return guarded(store, "read a nudge message", [&]() -> std::optional<std::string> {
    SQLite::Statement q(store.sql(),
                        "SELECT blocks FROM nudge_messages WHERE team = :team AND channel = :channel AND ts = :ts");
    bind_ref(q, ref);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

}  // namespace microalign::storage
