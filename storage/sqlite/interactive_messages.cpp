// The interactive_messages table: the nudge DMs as they now read, by the platform's name for them.
#include "microalign/storage/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "message_sql.hpp"
#include "sql_time.hpp"
#include "statements.hpp"
#include "store_ops.hpp"

namespace microalign::storage {
namespace {

void bind_ref(SQLite::Statement& q, const MessageRef& ref) {
  q.bind(":platform", ref.platform);
  q.bind(":team", ref.team);
  q.bind(":conversation", ref.conversation);
  q.bind(":ref", ref.ref);
}

}  // namespace

void SqliteStore::keep_interactive(const MessageRef& ref, const Message& message, SysTime at) {
  require_transaction(*this, "storage::keep_interactive");
  guarded(*this, "keep an interactive message", [&] {
    SQLite::Statement q(sql(),
                        "INSERT INTO interactive_messages (platform, team, conversation, ref, message, updated_at)"
                        " VALUES (:platform, :team, :conversation, :ref, :message, :at)"
                        " ON CONFLICT (platform, team, conversation, ref) DO UPDATE SET"
                        " message = excluded.message, updated_at = excluded.updated_at");
    bind_ref(q, ref);
    q.bind(":message", message_to_sql(message));
    q.bind(":at", to_sql(at));
    execute(q);
  });
}

std::optional<Message> SqliteStore::interactive_message(const MessageRef& ref) {
  return guarded(*this, "read an interactive message", [&]() -> std::optional<Message> {
    SQLite::Statement q(sql(),
                        "SELECT message FROM interactive_messages WHERE platform = :platform AND team = :team"
                        " AND conversation = :conversation AND ref = :ref");
    bind_ref(q, ref);
    if (!q.executeStep()) return std::nullopt;
    // A message that a newer binary wrote in a format this one does not know reads as none kept:
    // the answer then rewrites the message as the platform shows it.
    return message_from_sql(q.getColumn(0).getString());
  });
}

std::size_t SqliteStore::forget_interactive_messages(SysTime updated_before, std::size_t limit) {
  require_transaction(*this, "storage::forget_interactive_messages");
  return guarded(*this, "forget old interactive messages", [&] {
    // Oldest first through interactive_messages_by_age, which holds the key too.
    SQLite::Statement q(sql(),
                        "WITH old (platform, team, conversation, ref) AS ("
                        " SELECT platform, team, conversation, ref FROM interactive_messages"
                        " WHERE updated_at < :before ORDER BY updated_at LIMIT :limit)"
                        " DELETE FROM interactive_messages WHERE (platform, team, conversation, ref) IN old");
    q.bind(":before", to_sql(updated_before));
    q.bind(":limit", static_cast<std::int64_t>(limit));
    return static_cast<std::size_t>(execute(q));
  });
}

}  // namespace microalign::storage
