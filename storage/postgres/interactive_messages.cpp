// The interactive_messages table on PostgreSQL: the nudge DMs as they now read, by the platform's
// name for them.
#include "error.hpp"
#include "message_sql.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"

namespace microalign::storage {
namespace {

pg::Query& bind_ref(pg::Query& q, const MessageRef& ref) {
  return q.bind("platform", ref.platform)
      .bind("team", ref.team)
      .bind("conversation", ref.conversation)
      .bind("ref", ref.ref);
}

}  // namespace

void PostgresStore::keep_interactive(const MessageRef& ref, const Message& message, SysTime at) {
  require_transaction(*this, "storage::keep_interactive");
  guarded(*this, "keep an interactive message", [&] {
    pg::Query q(*connection_,
                "INSERT INTO interactive_messages (platform, team, conversation, ref, message, updated_at)"
                " VALUES (:platform, :team, :conversation, :ref, :message, :at)"
                " ON CONFLICT (platform, team, conversation, ref) DO UPDATE SET"
                " message = excluded.message, updated_at = excluded.updated_at");
    bind_ref(q, ref).bind("message", message_to_sql(message)).bind("at", to_sql(at)).run();
  });
}

std::optional<Message> PostgresStore::interactive_message(const MessageRef& ref) {
  return guarded(*this, "read an interactive message", [&]() -> std::optional<Message> {
    pg::Query q(*connection_,
                "SELECT message FROM interactive_messages WHERE platform = :platform AND team = :team"
                " AND conversation = :conversation AND ref = :ref");
    const auto rows = bind_ref(q, ref).run();
    if (rows.rows() == 0) return std::nullopt;
    // A message that a newer binary wrote in a format this one does not know reads as none kept:
    // the answer then rewrites the message as the platform shows it.
    return message_from_sql(rows.text(0, 0));
  });
}

std::size_t PostgresStore::forget_interactive_messages(SysTime updated_before, std::size_t limit) {
  require_transaction(*this, "storage::forget_interactive_messages");
  return guarded(*this, "forget old interactive messages", [&] {
    // Oldest first through interactive_messages_by_age. SKIP LOCKED: replicas forgetting at the
    // same moment take different rows instead of waiting on each other's.
    return pg::Query(*connection_,
                     "DELETE FROM interactive_messages WHERE (platform, team, conversation, ref) IN ("
                     " SELECT platform, team, conversation, ref FROM interactive_messages"
                     " WHERE updated_at < :before ORDER BY updated_at LIMIT :limit FOR UPDATE SKIP LOCKED)")
        .bind("before", to_sql(updated_before))
        .bind("limit", static_cast<std::int64_t>(limit))
        .run()
        .affected();
  });
}

}  // namespace microalign::storage
