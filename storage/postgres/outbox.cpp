// The outbox on PostgreSQL: queueing, claims on what is due (one replica sends each message),
// holds shared by every replica's sender, and each message's outcome. As the SQLite engine's
// (storage/sqlite/outbox.cpp), whose comments say why each query is shaped as it is.
#include <algorithm>
#include <utility>

#include "error.hpp"
#include "message_sql.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

using pg::enum_from_sql;

constexpr const char* parent_lost = "thread parent could not be sent";

constexpr const char* message_columns =
    "id, platform, team, destination, delivery, message, rendered, thread, thread_of, target, reply_handle,"
    " interactive, update_id, notify_on_failure, attempts, not_before, created_at, purpose";

Message stored_message(std::int64_t id, const std::string& text) {
  auto message = message_from_sql(text);
  if (!message) throw pg::Error("the message of outbox row " + std::to_string(id) + " cannot be read", "");
  return std::move(*message);
}

OutboxMessage read_message(const pg::Result& row, int i) {
  OutboxMessage m;
  m.id = row.int64(i, 0);
  m.platform = row.text(i, 1);
  m.team = row.text(i, 2);
  m.destination = row.text(i, 3);
  m.delivery = enum_from_sql(delivery_from_string(row.text(i, 4)), "delivery");
  if (row.is_null(i, 6)) {
    m.message = stored_message(m.id, row.text(i, 5));
  } else {
    m.rendered = row.text(i, 6);
  }
  m.thread = row.text(i, 7);
  m.thread_of = row.int64(i, 8);  // NULL reads as 0
  m.target = row.text(i, 9);
  m.reply_handle = row.text(i, 10);
  m.interactive = row.int64(i, 11) != 0;
  m.update_id = row.int64(i, 12);
  m.notify_on_failure = row.text(i, 13);
  m.attempts = static_cast<int>(row.int64(i, 14));
  m.not_before = time_from_sql(row.int64(i, 15));
  m.created_at = time_from_sql(row.int64(i, 16));
  m.purpose = enum_from_sql(purpose_from_string(row.text(i, 17)), "purpose");
  return m;
}

std::vector<OutboxMessage> read_messages(const pg::Result& rows) {
  std::vector<OutboxMessage> messages;
  messages.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) messages.push_back(read_message(rows, i));
  return messages;
}

constexpr const char* can_go =
    "(o.thread_of IS NULL"
    " OR EXISTS (SELECT 1 FROM outbox p WHERE p.id = o.thread_of AND p.state = 'sent'))";
// The same of another message `e`: a reply still waiting for its parent holds up nothing.
constexpr const char* e_can_go =
    "(e.thread_of IS NULL OR EXISTS (SELECT 1 FROM outbox q WHERE q.id = e.thread_of AND q.state = 'sent'))";

constexpr const char* holding =
    "h.platform = o.platform AND ((h.kind = 'destination' AND h.name = o.destination)"
    " OR (h.kind = 'delivery' AND h.name = o.delivery))";

// The platform's earliest due messages only (as SQLite's claim_window).
constexpr const char* claim_window =
    "o.id IN (SELECT id FROM outbox WHERE state = 'pending' AND platform = :platform AND not_before <= :now"
    " ORDER BY not_before, id LIMIT 1000)";

const std::string claimable = std::string("(o.lease_until IS NULL OR o.lease_until <= :now) AND ") + can_go +
                              " AND NOT EXISTS (SELECT 1 FROM outbox_holds h WHERE h.until > :now AND " + holding +
                              ")"
                              " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending'"
                              "  AND e.platform = o.platform AND e.destination = o.destination AND " +
                              e_can_go + "  AND e.not_before <= :now AND (e.not_before, e.id) < (o.not_before, o.id))";

std::optional<OutboxState> state_of(pg::Connection& db, std::int64_t id) {
  const auto row = pg::Query(db, "SELECT state FROM outbox WHERE id = :id").bind("id", id).run();
  if (row.rows() == 0) return std::nullopt;
  return enum_from_sql(outbox_state_from_sql(row.text(0, 0)), "state");
}

// Fails the message, and every pending reply below it: they can never go into its thread.
void fail(pg::Connection& db, std::int64_t id, const std::string& error, SysTime at) {
  pg::Query(db,
            "UPDATE outbox SET state = 'failed', last_error = :error, finished_at = :at, lease_until = NULL"
            " WHERE id = :id")
      .bind("id", id)
      .bind("error", error)
      .bind("at", to_sql(at))
      .run();
  pg::Query(db,
            "WITH RECURSIVE lost (id) AS ("
            "  SELECT id FROM outbox WHERE thread_of = :id AND state = 'pending'"
            "  UNION SELECT o.id FROM outbox o JOIN lost ON o.thread_of = lost.id WHERE o.state = 'pending')"
            " UPDATE outbox SET state = 'failed', last_error = :error, finished_at = :at, lease_until = NULL"
            " WHERE id IN (SELECT id FROM lost)")
      .bind("id", id)
      .bind("error", parent_lost)
      .bind("at", to_sql(at))
      .run();
}

}  // namespace

std::int64_t PostgresStore::enqueue(OutboxMessage m) {
  require_transaction(*this, "storage::enqueue");
  return guarded(*this, "enqueue message", [&] {
    auto& db = *connection_;
    const bool rendered = !m.rendered.empty();  // sent as it is: the message is not kept beside it
    const auto inserted =
        pg::Query(db,
                  "INSERT INTO outbox (created_at, platform, team, destination, delivery, message,"
                  " rendered, thread, thread_of, target, reply_handle, interactive, update_id,"
                  " notify_on_failure, state, attempts, not_before, last_error, purpose)"
                  " VALUES (:created_at, :platform, :team, :destination, :delivery, :message,"
                  " :rendered, :thread, :thread_of, :target, :reply_handle, :interactive, :update_id,"
                  " :notify_on_failure, 'pending', :attempts, :not_before, '', :purpose) RETURNING id")
            .bind("created_at", to_sql(m.created_at))
            .bind("platform", m.platform)
            .bind("team", m.team)
            .bind("destination", m.destination)
            .bind("delivery", to_string(m.delivery))
            .bind("message", rendered ? std::nullopt : std::optional(message_to_sql(m.message)))
            .bind("rendered", rendered ? std::optional(m.rendered) : std::nullopt)
            .bind("thread", m.thread)
            .bind("thread_of", id_or_null(m.thread_of))
            .bind("target", m.target)
            .bind("reply_handle", m.reply_handle)
            .bind("interactive", m.interactive)
            .bind("update_id", id_or_null(m.update_id))
            .bind("notify_on_failure", m.notify_on_failure)
            .bind("attempts", m.attempts)
            .bind("not_before", to_sql(m.not_before))
            .bind("purpose", to_string(m.purpose))
            .run();
    const std::int64_t id = inserted.int64(0, 0);
    // Otherwise it would wait for the parent for ever, neither due nor failed.
    if (m.thread_of != 0 && state_of(db, m.thread_of) == OutboxState::failed) fail(db, id, parent_lost, m.created_at);
    return id;
  });
}

std::vector<OutboxMessage> PostgresStore::due_messages(std::string_view platform, SysTime now, int limit) {
  return guarded(*this, "read due messages", [&] {
    const auto rows = pg::Query(*connection_, std::string("SELECT ") + message_columns +
                                                  " FROM outbox o WHERE o.state = 'pending' AND o.platform = :platform"
                                                  " AND o.not_before <= :now AND " +
                                                  can_go + " ORDER BY o.not_before, o.id LIMIT :limit")
                          .bind("platform", platform)
                          .bind("now", to_sql(now))
                          .bind("limit", limit)
                          .run();
    return read_messages(rows);
  });
}

std::vector<OutboxMessage> PostgresStore::claim_due(std::string_view platform, SysTime now, int limit,
                                                    SysTime lease_until) {
  require_transaction(*this, "storage::claim_due");
  return guarded(*this, "claim due messages", [&] {
    // SKIP LOCKED: rows another replica is claiming right now are left to it, not waited for.
    const auto rows =
        pg::Query(*connection_, std::string("UPDATE outbox SET lease_until = :lease_until WHERE id IN (SELECT o.id"
                                            " FROM outbox o WHERE ") +
                                    claim_window + " AND " + claimable +
                                    " ORDER BY o.not_before, o.id LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING " +
                                    message_columns)
            .bind("platform", platform)
            .bind("now", to_sql(now))
            .bind("limit", limit)
            .bind("lease_until", to_sql(lease_until))
            .run();
    auto claimed = read_messages(rows);
    std::sort(claimed.begin(), claimed.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
      return std::pair(a.not_before, a.id) < std::pair(b.not_before, b.id);
    });
    return claimed;
  });
}

void PostgresStore::release(std::int64_t id) {
  require_transaction(*this, "storage::release");
  guarded(*this, "release a claim", [&] {
    pg::Query(*connection_, "UPDATE outbox SET lease_until = NULL WHERE id = :id AND state = 'pending'")
        .bind("id", id)
        .run();
  });
}

void PostgresStore::hold(std::string_view platform, HoldKind kind, std::string_view name, SysTime until) {
  require_transaction(*this, "storage::hold");
  guarded(*this, "hold sends back", [&] {
    pg::Query(*connection_,
              "INSERT INTO outbox_holds (platform, kind, name, until) VALUES (:platform, :kind, :name, :until)"
              " ON CONFLICT (platform, kind, name) DO UPDATE SET until = greatest(outbox_holds.until, excluded.until)")
        .bind("platform", platform)
        .bind("kind", to_string(kind))
        .bind("name", name)
        .bind("until", to_sql(until))
        .run();
  });
}

std::optional<SysTime> PostgresStore::next_due(std::string_view platform) {
  return guarded(*this, "read next due message", [&]() -> std::optional<SysTime> {
    const auto row =
        pg::Query(*connection_,
                  std::string("SELECT min(greatest(o.not_before, coalesce(o.lease_until, 0),"
                              " coalesce((SELECT max(h.until) FROM outbox_holds h WHERE ") +
                      holding +
                      "), 0))) FROM (SELECT * FROM outbox WHERE state = 'pending' AND platform = :platform"
                      " ORDER BY not_before, id LIMIT 1000) o WHERE " +
                      can_go +
                      " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.platform = o.platform"
                      " AND e.destination = o.destination AND " +
                      std::string(e_can_go) + " AND (e.not_before, e.id) < (o.not_before, o.id))")
            .bind("platform", platform)
            .run();
    if (row.is_null(0, 0)) return std::nullopt;
    return time_from_sql(row.int64(0, 0));
  });
}

std::optional<SentMessage> PostgresStore::sent_message(std::int64_t id) {
  return guarded(*this, "read where a message went", [&]() -> std::optional<SentMessage> {
    const auto row =
        pg::Query(*connection_, "SELECT sent_conversation, sent_ref FROM outbox WHERE id = :id AND state = 'sent'")
            .bind("id", id)
            .run();
    if (row.rows() == 0) return std::nullopt;
    return SentMessage{row.text(0, 0), row.text(0, 1)};
  });
}

void PostgresStore::mark_sent(std::int64_t id, const SentMessage& sent, SysTime at) {
  require_transaction(*this, "storage::mark_sent");
  const auto update_id = guarded(*this, "mark message sent", [&] {
    const auto row = pg::Query(*connection_,
                               "UPDATE outbox SET state = 'sent', sent_conversation = :conversation, sent_ref = :ref,"
                               " finished_at = :at, lease_until = NULL WHERE id = :id RETURNING update_id")
                         .bind("conversation", sent.conversation)
                         .bind("ref", sent.ref)
                         .bind("at", to_sql(at))
                         .bind("id", id)
                         .run();
    return row.rows() == 0 ? std::nullopt : row.optional_int64(0, 0);
  });
  if (update_id) set_echo_ref(*update_id, sent.ref);
}

void PostgresStore::retry_later(std::int64_t id, SysTime not_before, const std::string& error) {
  require_transaction(*this, "storage::retry_later");
  guarded(*this, "put message off", [&] {
    pg::Query(*connection_,
              "UPDATE outbox SET attempts = attempts + 1, not_before = :not_before, last_error = :error,"
              " lease_until = NULL WHERE id = :id")
        .bind("not_before", to_sql(not_before))
        .bind("error", error)
        .bind("id", id)
        .run();
  });
}

void PostgresStore::mark_failed(std::int64_t id, const std::string& error, SysTime at) {
  require_transaction(*this, "storage::mark_failed");
  guarded(*this, "mark message failed", [&] { fail(*connection_, id, error, at); });
}

std::size_t PostgresStore::prune_outbox(SysTime finished_before, std::size_t limit) {
  require_transaction(*this, "storage::prune_outbox");
  return guarded(*this, "prune the outbox", [&] {
    std::size_t forgotten = 0;
    while (forgotten < limit) {
      const auto deleted = pg::Query(*connection_,
                                     "DELETE FROM outbox WHERE id IN ("
                                     " SELECT o.id FROM outbox o"
                                     "  WHERE o.state <> 'pending' AND o.finished_at < :before"
                                     "    AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.thread_of = o.id)"
                                     "  ORDER BY o.finished_at LIMIT :limit)")
                               .bind("before", to_sql(finished_before))
                               .bind("limit", static_cast<std::int64_t>(limit - forgotten))
                               .run()
                               .affected();
      if (deleted == 0) break;
      forgotten += deleted;
    }
    pg::Query(*connection_, "DELETE FROM outbox_holds WHERE until < :before")
        .bind("before", to_sql(finished_before))
        .run();
    return forgotten;
  });
}

std::optional<OutboxState> PostgresStore::outbox_state(std::int64_t id) {
  return guarded(*this, "read message state", [&] { return state_of(*connection_, id); });
}

std::size_t PostgresStore::pending_count() {
  return guarded(*this, "count pending messages", [&] {
    return static_cast<std::size_t>(
        pg::Query(*connection_, "SELECT count(*) FROM outbox WHERE state = 'pending'").run().int64(0, 0));
  });
}

std::vector<OutboxBacklog> PostgresStore::outbox_backlog() {
  return guarded(*this, "read the outbox's backlog", [&] {
    const auto rows = pg::Query(*connection_,
                                "SELECT platform, count(*), min(created_at) FROM outbox WHERE state = 'pending'"
                                " GROUP BY platform ORDER BY platform")
                          .run();
    std::vector<OutboxBacklog> backlog;
    for (int i = 0; i < rows.rows(); ++i) {
      backlog.push_back({rows.text(i, 0), static_cast<std::size_t>(rows.int64(i, 1)), time_from_sql(rows.int64(i, 2))});
    }
    return backlog;
  });
}

}  // namespace microalign::storage
