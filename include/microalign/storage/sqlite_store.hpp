// The SQLite engine of the storage port: one file, write-ahead logged, every commit fsynced
// (synchronous=FULL), created with mode 0600, migrated to the newest schema on open.
// Synchronous: one thread uses a SqliteStore at a time (the commit queue's worker in `run`, the
// caller in CLI verbs and tests). Never two at once: the connection is opened without SQLite's
// own locking (OPEN_NOMUTEX).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/storage/engine.hpp"

namespace SQLite {
class Database;
class Statement;
}

namespace microalign::storage {

class SqliteStore final : public Engine {
 public:
  // Opens (creating with mode 0600) the database at `path`, enables WAL, and applies every
  // migration newer than the file's schema version. Throws StorageError.
  // A file whose schema is newer than this binary's is refused rather than misread.
  static std::unique_ptr<SqliteStore> open(const std::string& path);
  ~SqliteStore() override;

  int schema_version() const override;
  static int latest_schema_version();  // the newest migration compiled into this binary
  // The schema version of the existing database at `path`, read without creating, migrating or
  // writing it (for `microalign doctor`, which may run beside the bot, or before an upgrade).
  // Throws StorageError: no such file, not a database, unreadable.
  static int schema_version_at(const std::string& path);

  // Transactions are explicit so that the commit queue can group many writes into one commit.
  // begin() takes the write lock at once (BEGIN IMMEDIATE); rollback() does nothing when SQLite
  // has already rolled the transaction back itself (as it does on I/O errors).
  void begin() override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override;
  void savepoint() override;  // nested point inside a transaction, for one item of a batch
  void release_savepoint() override;
  void rollback_to_savepoint() override;  // undoes the item's writes and drops the savepoint

  SQLite::Database& sql();  // for this engine's own code and tests
  // The statement for `sql_text`, prepared the first time it runs and kept for the connection's
  // life (reset it after use: ResetOnExit, or execute()). For this engine's own code.
  SQLite::Statement& prepared(const std::string& sql_text);
  const std::string& path() const { return path_; }
  const std::string& name() const override { return path_; }

  bool claim_job(std::string_view job) override;

  // Updates (storage/sqlite/store_write.cpp, store_read.cpp)
  InsertResult insert_update(const Update&, std::string_view event_id = {}) override;  // (the same default)
  bool mark_event_seen(std::string_view event_id, SysTime at) override;
  std::size_t prune_seen_events(SysTime older_than) override;
  void set_echo_ref(std::int64_t update_id, std::string_view ref) override;
  std::optional<Update> find_update(std::int64_t id) override;
  std::vector<Update> updates(const ExportFilter&) override;

  // Channels (storage/sqlite/channels.cpp)
  std::optional<ChannelSettings> channel_settings(const std::string& team, const std::string& channel) override;
  void save_channel_settings(const ChannelSettings&) override;
  std::vector<ChannelSettings> scheduled_channels() override;
  std::optional<DigestRun> last_digest_run(const std::string& team, const std::string& channel) override;
  std::optional<DigestRun> last_posted_digest(const std::string& team, const std::string& channel) override;
  bool record_digest_run(const DigestRun&) override;

  // DigestFacts (storage/sqlite/digest_facts.cpp)
  std::vector<Update> updates_in_window(const std::string& team, const std::string& channel, SysTime from,
                                        SysTime to) override;
  std::vector<TicketSnapshot> troubled_tickets(const std::string& team, const std::string& channel) override;
  std::vector<TicketSnapshot> quiet_tickets(const std::string& team, const std::string& channel,
                                            SysTime quiet_since) override;
  std::vector<Update> open_assumptions(const std::string& team, const std::string& channel) override;
  std::vector<Update> ticket_timeline(const std::string& team, const std::string& key) override;
  std::map<std::int64_t, std::string> ticket_answers(const std::string& team, const std::string& key) override;
  std::vector<Update> open_assumptions_at(const std::string& team, const std::string& channel,
                                          const std::string& message_ts) override;
  void record_answer(std::int64_t update_id, AnswerKind, const std::string& user, SysTime at) override;

  // Outbox (storage/sqlite/outbox.cpp)
  std::int64_t enqueue(OutboxMessage) override;
  std::vector<OutboxMessage> due_messages(std::string_view platform, SysTime now, int limit) override;
  std::vector<OutboxMessage> claim_due(std::string_view platform, SysTime now, int limit, SysTime lease_until) override;
  void release(std::int64_t id) override;
  void hold(std::string_view platform, HoldKind, std::string_view name, SysTime until) override;
  std::optional<SysTime> next_due(std::string_view platform) override;
  std::optional<SentMessage> sent_message(std::int64_t id) override;
  void mark_sent(std::int64_t id, const SentMessage&, SysTime at) override;
  void retry_later(std::int64_t id, SysTime not_before, const std::string& error) override;
  void mark_failed(std::int64_t id, const std::string& error, SysTime at) override;
  std::size_t prune_outbox(SysTime finished_before, std::size_t limit) override;
  std::optional<OutboxState> outbox_state(std::int64_t id) override;
  std::size_t pending_count() override;
  std::vector<OutboxBacklog> outbox_backlog() override;

  // People (storage/sqlite/people.cpp)
  void remember_name(const std::string& team, const std::string& user, const std::string& name, SysTime at) override;
  std::map<std::string, std::string> known_names(const std::string& team) override;
  std::optional<std::string> team_of_channel(const std::string& channel) override;
  void remember_workspace(const std::string& team, const std::string& platform) override;
  std::optional<std::string> workspace_platform(const std::string& team) override;
  void remember_direct_conversation(const std::string& platform, const std::string& team, const std::string& user,
                                    const std::string& conversation, SysTime at) override;
  std::optional<std::string> direct_conversation(const std::string& platform, const std::string& team,
                                                 const std::string& user) override;

  // Nudges (storage/sqlite/nudges.cpp)
  void set_time_zone(const std::string& team, const std::string& user, const std::string& zone) override;
  void set_away(const std::string& team, const std::string& user,
                std::optional<std::chrono::year_month_day> until) override;
  void set_nudges_off(const std::string& team, const std::string& user, bool off) override;
  void record_nudge_dm(const std::string& team, const std::string& user, SysTime at) override;
  std::map<std::string, OwnerProfile> owner_profiles(const std::string& team,
                                                     const std::vector<std::string>& users) override;
  void add_holidays(const std::string& team, const std::string& channel, std::chrono::year_month_day from,
                    std::chrono::year_month_day to) override;
  Holidays channel_holidays(const std::string& team, const std::string& channel) override;
  bool set_owner(const std::string& team, const std::string& key, const std::string& user) override;
  bool snooze(const std::string& team, const std::string& key, SysTime until) override;
  bool record_nudge(const std::string& team, const std::string& key, std::int64_t update_id, SysTime at) override;
  std::vector<NudgeCandidate> nudge_candidates(SysTime not_updated_since) override;
  std::vector<NudgeCandidate> nudged_quiet_tickets(const std::string& team, const std::string& channel,
                                                   SysTime not_updated_since) override;
  std::vector<TicketSnapshot> open_tickets(const std::string& team, const std::string& channel) override;
  std::map<std::string, SysTime> snoozed_tickets(const std::string& team, const std::string& channel,
                                                 SysTime now) override;
  bool ticket_named_before(const std::string& team, const std::string& key, std::int64_t update_id) override;

  // InteractiveMessages (storage/sqlite/interactive_messages.cpp)
  void keep_interactive(const MessageRef&, const Message&, SysTime at) override;
  std::optional<Message> interactive_message(const MessageRef&) override;
  std::size_t forget_interactive_messages(SysTime updated_before, std::size_t limit) override;

  // Routes (storage/sqlite/routes.cpp)
  void remember_route(const std::string& platform, const std::string& team, const std::string& conversation,
                      const std::string& address, SysTime at) override;
  std::optional<std::string> route(const std::string& platform, const std::string& team,
                                   const std::string& conversation) override;

  // TrackerLog (storage/sqlite/tracker_log.cpp)
  bool record_tracker_activity(const TrackerActivity&) override;
  std::vector<TrackerActivity> ticket_tracker_activity(const std::string& key, std::size_t limit) override;
  std::vector<TrackerActivity> tracker_activity_in_window(const std::string& team, const std::string& channel,
                                                          SysTime from, SysTime to) override;

  // Decisions (storage/sqlite/decisions.cpp)
  DecisionInsertResult insert_decision(const Decision&, std::string_view event_id = {}) override;
  std::optional<Decision> find_decision(std::int64_t id) override;
  std::vector<Decision> decisions(const ExportFilter&) override;
  std::vector<Decision> ticket_decisions(const std::string& team, const std::string& key) override;

 private:
  struct Statements;  // the write paths' prepared statements, reused (statements.hpp)

  SqliteStore(std::unique_ptr<SQLite::Database>, std::string path);

  std::unique_ptr<SQLite::Database> db_;
  std::string path_;                   // for error messages
  std::unique_ptr<Statements> stmts_;  // declared after db_: finalized before it closes
};

}  // namespace microalign::storage
