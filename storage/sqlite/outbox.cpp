// The outbox table: queueing, what is due on each platform, and each message's outcome.
#include "microalign/storage/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "message_sql.hpp"
#include "sql_time.hpp"
#include "statements.hpp"
#include "store_ops.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

std::string_view state_name(OutboxState state) {
  switch (state) {
    case OutboxState::pending:
      return "pending";
    case OutboxState::sent:
      return "sent";
    case OutboxState::failed:
      return "failed";
  }
  return "pending";
}

std::optional<OutboxState> state_from(std::string_view name) {
  for (OutboxState s : {OutboxState::pending, OutboxState::sent, OutboxState::failed}) {
    if (state_name(s) == name) return s;
  }
  return std::nullopt;
}

// 0 stands for "none" in OutboxMessage; the table says NULL.
std::optional<std::int64_t> id_or_null(std::int64_t id) {
  if (id == 0) return std::nullopt;
  return id;
}

constexpr const char* parent_lost = "thread parent could not be sent";

constexpr const char* message_columns =
    "o.id, o.platform, o.team, o.destination, o.delivery, o.message, o.rendered, o.thread, o.thread_of,"
    " o.target, o.reply_handle, o.interactive, o.update_id, o.notify_on_failure, o.attempts, o.not_before,"
    " o.created_at, o.purpose";

// The row's core Message. It was written by message_to_sql, so it reads back unless a newer
// binary wrote it in a format this one does not know: then the row cannot be sent as it is.
Message stored_message(std::int64_t id, const std::string& text) {
  auto message = message_from_sql(text);
  if (!message) throw SQLite::Exception("the message of outbox row " + std::to_string(id) + " cannot be read");
  return std::move(*message);
}

OutboxMessage read_message(SQLite::Statement& row) {
  OutboxMessage m;
  m.id = row.getColumn(0).getInt64();
  m.platform = row.getColumn(1).getString();
  m.team = row.getColumn(2).getString();
  m.destination = row.getColumn(3).getString();
  m.delivery = enum_from_sql(delivery_from_string(row.getColumn(4).getText()), "delivery");
  if (row.getColumn(6).isNull()) {
    m.message = stored_message(m.id, row.getColumn(5).getString());
  } else {
    m.rendered = row.getColumn(6).getString();
  }
  m.thread = row.getColumn(7).getString();
  m.thread_of = row.getColumn(8).getInt64();  // NULL reads as 0
  m.target = row.getColumn(9).getString();
  m.reply_handle = row.getColumn(10).getString();
  m.interactive = row.getColumn(11).getInt() != 0;
  m.update_id = row.getColumn(12).getInt64();
  m.notify_on_failure = row.getColumn(13).getString();
  m.attempts = row.getColumn(14).getInt();
  m.not_before = time_from_sql(row.getColumn(15).getInt64());
  m.created_at = time_from_sql(row.getColumn(16).getInt64());
  m.purpose = enum_from_sql(purpose_from_string(row.getColumn(17).getText()), "purpose");
  return m;
}

// A pending message can go once it needs no thread, or its thread's parent has its ref.
constexpr const char* can_go =
    "(o.thread_of IS NULL"
    " OR EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.thread_of AND p.state = 'sent'))";

std::optional<OutboxState> state_of(SQLite::Database& db, std::int64_t id) {
  SQLite::Statement q(db, "SELECT state FROM outbox WHERE id = :id");
  q.bind(":id", id);
  if (!q.executeStep()) return std::nullopt;
  return enum_from_sql(state_from(q.getColumn(0).getText()), "state");
}

// Fails the message, and every pending reply below it: they can never go into its thread. Each
// message's replies are found through outbox_replies.
void fail(SQLite::Database& db, std::int64_t id, const std::string& error, SysTime at) {
  SQLite::Statement own(db,
                        "UPDATE outbox SET state = 'failed', last_error = :error, finished_at = :at"
                        " WHERE id = :id");
  own.bind(":id", id);
  own.bind(":error", error);
  own.bind(":at", to_sql(at));
  execute(own);
  SQLite::Statement replies(db,
                            "WITH RECURSIVE lost (id) AS ("
                            "  SELECT id FROM outbox WHERE thread_of = :id AND state = 'pending'"
                            "  UNION SELECT o.id FROM outbox o JOIN lost ON o.thread_of = lost.id"
                            "   WHERE o.state = 'pending')"
                            " UPDATE outbox SET state = 'failed', last_error = :error, finished_at = :at"
                            " WHERE id IN (SELECT id FROM lost)");
  replies.bind(":id", id);
  replies.bind(":error", parent_lost);
  replies.bind(":at", to_sql(at));
  execute(replies);
}

}  // namespace

std::int64_t SqliteStore::enqueue(OutboxMessage m) {
  require_transaction(*this, "storage::enqueue");
  return guarded(*this, "enqueue message", [&] {
    auto& db = sql();
    auto& q = prepared("INSERT INTO outbox (created_at, platform, team, destination, delivery, message,"
                        " rendered, thread, thread_of, target, reply_handle, interactive, update_id,"
                        " notify_on_failure, state, attempts, not_before, last_error, purpose)"
                        " VALUES (:created_at, :platform, :team, :destination, :delivery, :message,"
                        " :rendered, :thread, :thread_of, :target, :reply_handle, :interactive, :update_id,"
                        " :notify_on_failure, 'pending', :attempts, :not_before, '', :purpose)");
    ResetOnExit reset{q};
    q.bind(":created_at", to_sql(m.created_at));
    q.bind(":platform", m.platform);
    q.bind(":team", m.team);
    q.bind(":destination", m.destination);
    q.bind(":delivery", std::string(to_string(m.delivery)));
    // A payload already rendered is sent as it is: the message is not kept beside it.
    const bool rendered = !m.rendered.empty();
    bind_optional(q, ":message", rendered ? std::nullopt : std::optional(message_to_sql(m.message)));
    bind_optional(q, ":rendered", rendered ? std::optional(m.rendered) : std::nullopt);
    q.bind(":thread", m.thread);
    bind_optional(q, ":thread_of", id_or_null(m.thread_of));
    q.bind(":target", m.target);
    q.bind(":reply_handle", m.reply_handle);
    q.bind(":interactive", m.interactive ? 1 : 0);
    bind_optional(q, ":update_id", id_or_null(m.update_id));
    q.bind(":notify_on_failure", m.notify_on_failure);
    q.bind(":attempts", m.attempts);
    q.bind(":not_before", to_sql(m.not_before));
    q.bind(":purpose", std::string(to_string(m.purpose)));
    execute(q);
    const std::int64_t id = db.getLastInsertRowid();
    // Otherwise it would wait for the parent for ever, neither due nor failed.
    if (m.thread_of != 0 && state_of(db, m.thread_of) == OutboxState::failed) {
      fail(db, id, parent_lost, m.created_at);
    }
    return id;
  });
}

std::vector<OutboxMessage> SqliteStore::due_messages(std::string_view platform, SysTime now, int limit) {
  return guarded(*this, "read due messages", [&] {
    // Ordered as the partial index outbox_due is (platform, not_before, then rowid): the
    // platform's pending rows due are read straight from it, and LIMIT stops the read.
    auto& q = prepared(std::string("SELECT ") + message_columns +
                                   " FROM outbox o WHERE o.state = 'pending' AND o.platform = :platform"
                                   " AND o.not_before <= :now AND " +
                                   can_go + " ORDER BY o.not_before, o.id LIMIT :limit");
    ResetOnExit reset{q};
    q.bind(":platform", std::string(platform));
    q.bind(":now", to_sql(now));
    q.bind(":limit", limit);
    std::vector<OutboxMessage> due;
    while (q.executeStep()) due.push_back(read_message(q));
    return due;
  });
}

std::optional<SysTime> SqliteStore::next_due(std::string_view platform) {
  return guarded(*this, "read next due message", [&]() -> std::optional<SysTime> {
    auto& q = prepared(std::string("SELECT o.not_before FROM outbox o"
                                           " WHERE o.state = 'pending' AND o.platform = :platform AND ") +
                                   can_go + " ORDER BY o.not_before LIMIT 1");
    ResetOnExit reset{q};
    q.bind(":platform", std::string(platform));
    if (!q.executeStep()) return std::nullopt;
    return time_from_sql(q.getColumn(0).getInt64());
  });
}

std::optional<SentMessage> SqliteStore::sent_message(std::int64_t id) {
  return guarded(*this, "read where a message went", [&]() -> std::optional<SentMessage> {
    auto& q = prepared("SELECT sent_conversation, sent_ref FROM outbox WHERE id = :id AND state = 'sent'");
    ResetOnExit reset{q};
    q.bind(":id", id);
    if (!q.executeStep()) return std::nullopt;
    return SentMessage{q.getColumn(0).getString(), q.getColumn(1).getString()};
  });
}

void SqliteStore::mark_sent(std::int64_t id, const SentMessage& sent, SysTime at) {
  require_transaction(*this, "storage::mark_sent");
  std::optional<std::int64_t> update_id;
  guarded(*this, "mark message sent", [&] {
    auto& q = prepared("UPDATE outbox SET state = 'sent', sent_conversation = :conversation, sent_ref = :ref,"
                        " finished_at = :at WHERE id = :id RETURNING update_id");
    ResetOnExit reset{q};
    q.bind(":conversation", sent.conversation);
    q.bind(":ref", sent.ref);
    q.bind(":at", to_sql(at));
    q.bind(":id", id);
    if (q.executeStep() && !q.getColumn(0).isNull()) update_id = q.getColumn(0).getInt64();
  });
  if (update_id) set_echo_ref(*update_id, sent.ref);
}

void SqliteStore::retry_later(std::int64_t id, SysTime not_before, const std::string& error) {
  require_transaction(*this, "storage::retry_later");
  guarded(*this, "put message off", [&] {
    auto& q = prepared("UPDATE outbox SET attempts = attempts + 1, not_before = :not_before,"
                        " last_error = :error WHERE id = :id");
    ResetOnExit reset{q};
    q.bind(":not_before", to_sql(not_before));
    q.bind(":error", error);
    q.bind(":id", id);
    execute(q);
  });
}

void SqliteStore::mark_failed(std::int64_t id, const std::string& error, SysTime at) {
  require_transaction(*this, "storage::mark_failed");
  guarded(*this, "mark message failed", [&] { fail(sql(), id, error, at); });
}

std::size_t SqliteStore::prune_outbox(SysTime finished_before, std::size_t limit) {
  require_transaction(*this, "storage::prune_outbox");
  return guarded(*this, "prune the outbox", [&] {
    // Oldest first through outbox_finished (`state <> 'pending'` is its condition); outbox_replies
    // answers "does anything reply to it?". The rows to delete are chosen before any is deleted,
    // so a parent whose replies go in this pass waits for the next: nothing ever refers to a
    // deleted row. Passes go on until one finds nothing, so a thread nested n deep takes n + 1.
    SQLite::Statement pass(sql(),
                           "WITH forgettable (id) AS ("
                           " SELECT o.id FROM outbox o"
                           "  WHERE o.state <> 'pending' AND o.finished_at < :before"
                           "    AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.thread_of = o.id)"
                           "  ORDER BY o.finished_at LIMIT :limit)"
                           " DELETE FROM outbox WHERE id IN forgettable");
    pass.bind(":before", to_sql(finished_before));
    std::size_t forgotten = 0;
    while (forgotten < limit) {
      pass.bind(":limit", static_cast<std::int64_t>(limit - forgotten));
      const auto deleted = static_cast<std::size_t>(execute(pass));
      if (deleted == 0) break;
      forgotten += deleted;
    }
    return forgotten;
  });
}

std::optional<OutboxState> SqliteStore::outbox_state(std::int64_t id) {
  return guarded(*this, "read message state", [&] { return state_of(sql(), id); });
}

std::size_t SqliteStore::pending_count() {
  return guarded(*this, "count pending messages", [&] {
    return static_cast<std::size_t>(sql().execAndGet("SELECT count(*) FROM outbox WHERE state = 'pending'").getInt64());
  });
}

std::vector<OutboxBacklog> SqliteStore::outbox_backlog() {
  return guarded(*this, "read the outbox's backlog", [&] {
    // Only the pending rows, through the partial index outbox_due (platform first).
    SQLite::Statement q(sql(),
                        "SELECT platform, count(*), min(created_at) FROM outbox WHERE state = 'pending'"
                        " GROUP BY platform ORDER BY platform");
    std::vector<OutboxBacklog> backlog;
    while (q.executeStep()) {
      backlog.push_back({q.getColumn(0).getString(), static_cast<std::size_t>(q.getColumn(1).getInt64()),
                         time_from_sql(q.getColumn(2).getInt64())});
    }
    return backlog;
  });
}

}  // namespace microalign::storage
