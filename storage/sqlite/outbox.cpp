// The outbox table: queueing, what is due on each platform, and each message's outcome.
#include "microalign/storage/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <utility>

#include "message_sql.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "statements.hpp"
#include "store_ops.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

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
// The same of another message `e`: a reply still waiting for its parent holds up nothing.
constexpr const char* e_can_go =
    "(e.thread_of IS NULL OR EXISTS (SELECT 1 FROM outbox q WHERE q.id = e.thread_of AND q.state = 'sent'))";

// A hold on `o`: its destination's, or its kind of delivery's (outbox_holds' key: no scan).
constexpr const char* holding =
    "h.platform = o.platform AND ((h.kind = 'destination' AND h.name = o.destination)"
    " OR (h.kind = 'delivery' AND h.name = o.delivery))";

// A claim looks at the platform's earliest due messages only: enough to find the first of every
// destination that has any, and a bounded cost per claim however large a backlog grows (it is
// read straight from outbox_due). A destination whose first message lies beyond them waits for
// the backlog before it to shrink.
constexpr const char* claim_window =
    "(SELECT * FROM outbox WHERE state = 'pending' AND platform = :platform AND not_before <= :now"
    " ORDER BY not_before, id LIMIT 1000) o";
constexpr const char* next_window =
    "(SELECT * FROM outbox WHERE state = 'pending' AND platform = :platform ORDER BY not_before, id LIMIT 1000) o";

// Due, not claimed, not held back, its thread parent sent, and the first of its destination's
// due messages (which may be claimed by another sender right now: then this one waits too).
const std::string claimable = std::string("(o.lease_until IS NULL OR o.lease_until <= :now) AND ") + can_go +
                              " AND NOT EXISTS (SELECT 1 FROM outbox_holds h WHERE h.until > :now AND " + holding +
                              ")"
                              " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending'"
                              "  AND e.platform = o.platform AND e.destination = o.destination AND " +
                              e_can_go +
                              "  AND e.not_before <= :now"
                              "  AND (e.not_before < o.not_before OR (e.not_before = o.not_before AND e.id < o.id)))";

// When the sender looks again: at each destination's first message, which those behind it wait for.
const std::string first_of_destination =
    std::string(
        "NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.platform = o.platform"
        " AND e.destination = o.destination AND ") +
    e_can_go + " AND (e.not_before < o.not_before OR (e.not_before = o.not_before AND e.id < o.id)))";

// message_columns as RETURNING names them (the updated table's own, without an alias).
const std::string& returning_columns() {
  static const std::string columns = [] {
    std::string text = message_columns;
    for (auto at = text.find("o."); at != std::string::npos; at = text.find("o.", at)) text.erase(at, 2);
    return text;
  }();
  return columns;
}

// RETURNING gives rows in no particular order: back into the order they fell due.
void in_due_order(std::vector<OutboxMessage>& messages) {
  std::sort(messages.begin(), messages.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
    return std::pair(a.not_before, a.id) < std::pair(b.not_before, b.id);
  });
}

std::optional<OutboxState> state_of(SQLite::Database& db, std::int64_t id) {
  SQLite::Statement q(db, "SELECT state FROM outbox WHERE id = :id");
  q.bind(":id", id);
  if (!q.executeStep()) return std::nullopt;
  return enum_from_sql(outbox_state_from_sql(q.getColumn(0).getText()), "state");
}

// Fails the message, and every pending reply below it: they can never go into its thread. Each
// message's replies are found through outbox_replies.
void fail(SQLite::Database& db, std::int64_t id, const std::string& error, SysTime at) {
  SQLite::Statement own(db,
                        "UPDATE outbox SET state = 'failed', last_error = :error, finished_at = :at,"
                        " lease_until = NULL WHERE id = :id");
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

std::vector<OutboxMessage> SqliteStore::claim_due(std::string_view platform, SysTime now, int limit,
                                                  SysTime lease_until) {
  require_transaction(*this, "storage::claim_due");
  return guarded(*this, "claim due messages", [&] {
    auto& q = prepared(std::string("UPDATE outbox SET lease_until = :lease_until WHERE id IN (SELECT o.id FROM ") +
                       claim_window + " WHERE " + claimable + " ORDER BY o.not_before, o.id LIMIT :limit) RETURNING " +
                       returning_columns());
    ResetOnExit reset{q};
    q.bind(":platform", std::string(platform));
    q.bind(":now", to_sql(now));
    q.bind(":limit", limit);
    q.bind(":lease_until", to_sql(lease_until));
    std::vector<OutboxMessage> claimed;
    while (q.executeStep()) claimed.push_back(read_message(q));
    in_due_order(claimed);
    return claimed;
  });
}

void SqliteStore::release(std::int64_t id) {
  require_transaction(*this, "storage::release");
  guarded(*this, "release a claim", [&] {
    auto& q = prepared("UPDATE outbox SET lease_until = NULL WHERE id = :id AND state = 'pending'");
    q.bind(":id", id);
    execute(q);
  });
}

void SqliteStore::hold(std::string_view platform, HoldKind kind, std::string_view name, SysTime until) {
  require_transaction(*this, "storage::hold");
  guarded(*this, "hold sends back", [&] {
    auto& q = prepared(
        "INSERT INTO outbox_holds (platform, kind, name, until) VALUES (:platform, :kind, :name, :until)"
        " ON CONFLICT (platform, kind, name) DO UPDATE SET until = max(until, excluded.until)");
    q.bind(":platform", std::string(platform));
    q.bind(":kind", std::string(to_string(kind)));
    q.bind(":name", std::string(name));
    q.bind(":until", to_sql(until));
    execute(q);
  });
}

std::optional<SysTime> SqliteStore::next_due(std::string_view platform) {
  return guarded(*this, "read next due message", [&]() -> std::optional<SysTime> {
    auto& q = prepared(std::string("SELECT min(max(o.not_before, coalesce(o.lease_until, 0),"
                                   " coalesce((SELECT max(h.until) FROM outbox_holds h WHERE ") +
                       holding + "), 0))) FROM " + next_window + " WHERE " + can_go + " AND " + first_of_destination);
    ResetOnExit reset{q};
    q.bind(":platform", std::string(platform));
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
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
    auto& q = prepared(
        "UPDATE outbox SET state = 'sent', sent_conversation = :conversation, sent_ref = :ref,"
        " finished_at = :at, lease_until = NULL WHERE id = :id RETURNING update_id");
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
    auto& q = prepared(
        "UPDATE outbox SET attempts = attempts + 1, not_before = :not_before,"
        " last_error = :error, lease_until = NULL WHERE id = :id");
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
    SQLite::Statement holds(sql(), "DELETE FROM outbox_holds WHERE until < :before");
    holds.bind(":before", to_sql(finished_before));
    execute(holds);
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
