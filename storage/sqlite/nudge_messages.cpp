#include "microalign/storage/sqlite_store.hpp"

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

void SqliteStore::remember_nudge_message(const MessageRef& ref, const std::string& blocks_json, SysTime at) {
  require_transaction(*this, "storage::remember_nudge_message");
  guarded(*this, "remember a nudge message", [&] {
    SQLite::Statement q(sql(),
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

std::optional<std::string> SqliteStore::nudge_message_blocks(const MessageRef& ref) {
  return guarded(*this, "read a nudge message", [&]() -> std::optional<std::string> {
    SQLite::Statement q(sql(),
                        "SELECT blocks FROM nudge_messages WHERE team = :team AND channel = :channel AND ts = :ts");
    bind_ref(q, ref);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

std::size_t SqliteStore::forget_nudge_messages(SysTime updated_before, std::size_t limit) {
  require_transaction(*this, "storage::forget_nudge_messages");
  return guarded(*this, "forget old nudge messages", [&] {
    // Oldest first through nudge_messages_by_age, which holds the key too.
    SQLite::Statement q(sql(),
                        "WITH old (team, channel, ts) AS ("
                        " SELECT team, channel, ts FROM nudge_messages WHERE updated_at < :before"
                        " ORDER BY updated_at LIMIT :limit)"
                        " DELETE FROM nudge_messages WHERE (team, channel, ts) IN old");
    q.bind(":before", to_sql(updated_before));
    q.bind(":limit", static_cast<std::int64_t>(limit));
    return static_cast<std::size_t>(execute(q));
  });
}

}  // namespace microalign::storage
