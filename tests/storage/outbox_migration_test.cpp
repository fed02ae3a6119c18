// Older outboxes open with this binary with nothing queued lost: migration 007 carries Slack's
// Web API calls (006) over to the neutral outbox, and the rebuilds before it kept every row.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "microalign/storage/outbox.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "old_schema.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::transact;

namespace {

// A file at schema version 6 holding, pending, sent and failed, every kind of row that version
// queued (and chat.postEphemeral, which its CHECK allowed though nothing queued it), as its
// binary wrote them. The digest's parent 7 is sent and its reply 8 pending; parent 9 and its
// reply 10 are both pending. Workspaces are found in updates (T1), channel settings (T2),
// people (T3), the outbox (T4) and holidays (T5). Row 1 was put off until 5000; the other
// pending rows are due from 2000.
void write_version_6(const std::string& path) {
  auto db = test::database_at_version(path, 6);
  db.exec(R"(
    INSERT INTO updates (id, created_at, team, channel, thread, user, source, kind, state, delay_days,
                         blocked_on, text, echo_ref) VALUES
      (1, 1000, 'T1', 'C1', '', 'U1', 'slash', 'status', 'on_track', NULL, '', 'ENG-1 fine', '1.4'),
      (2, 1000, 'T1', 'C1', '', 'U1', 'slash', 'status', 'blocked', NULL, '', 'ENG-2 stuck', NULL);
    INSERT INTO channel_settings VALUES ('T2', 'C2', 'daily', 540, 1, 1, '', 3, 'U1', 1000);
    INSERT INTO people (team, user, name, updated_at) VALUES ('T3', 'U3', 'carol', 1000);
    INSERT INTO channel_holidays VALUES ('T5', 'C5', '2026-12-25');
    INSERT INTO nudge_messages VALUES ('T1', 'D1', '1.2', '[{"type":"divider"}]', 1000);

    INSERT INTO outbox (id, created_at, team, channel, method, body, thread_of, update_id,
                        notify_on_failure, state, attempts, not_before, sent_ts, last_error,
                        finished_at) VALUES
      -- nudge DMs: the sender opened the DM with the user named in the body
      (1, 1000, 'T1', 'U7', 'chat.postMessage',
       '{"text":"1 ticket","blocks":[],"microalign_open_dm_with":"U7","unfurl_links":false}',
       NULL, NULL, '', 'pending', 2, 5000, NULL, 'ratelimited', NULL),
      (2, 1000, 'T1', 'U7', 'chat.postMessage', '{"text":"2","microalign_open_dm_with":"U7"}',
       NULL, NULL, '', 'sent', 0, 1000, '1.2', '', 3000),
      (3, 1000, 'T1', 'U8', 'chat.postMessage', '{"text":"3","microalign_open_dm_with":"U8"}',
       NULL, NULL, '', 'failed', 1, 1500, NULL, 'user_not_found', 3000),
      -- echoes, sent where the slash command came from when the bot cannot post in the channel
      (4, 1000, 'T1', 'C1', 'chat.postMessage',
       '{"channel":"C1","text":"4","microalign_fallback_response_url":"https://hooks.example/4"}',
       NULL, 1, '', 'sent', 0, 1000, '1.4', '', 3000),
      (5, 1000, 'T1', 'C1', 'chat.postMessage',
       '{"channel":"C1","text":"5","microalign_fallback_response_url":"https://hooks.example/5"}',
       NULL, 2, '', 'pending', 0, 2000, NULL, '', NULL),
      -- a mention's echo, in the mention's thread
      (6, 1000, 'T4', 'C4', 'chat.postMessage', '{"channel":"C4","text":"6","thread_ts":"100.1"}',
       NULL, NULL, 'U1', 'failed', 0, 1000, NULL, 'not_in_channel', 3000),
      -- digests: a summary and its details in the summary's thread
      (7, 1000, 'T1', 'C1', 'chat.postMessage', '{"channel":"C1","text":"7"}',
       NULL, NULL, 'U1', 'sent', 0, 1000, '1.7', '', 3000),
      (8, 1000, 'T1', 'C1', 'chat.postMessage', '{"channel":"C1","text":"8"}',
       7, NULL, 'U1', 'pending', 0, 2000, NULL, '', NULL),
      (9, 1000, 'T1', 'C9', 'chat.postMessage', '{"channel":"C9","text":"9"}',
       NULL, NULL, 'U1', 'pending', 0, 2000, NULL, '', NULL),
      (10, 1000, 'T1', 'C9', 'chat.postMessage', '{"channel":"C9","text":"10"}',
       9, NULL, 'U1', 'pending', 0, 2000, NULL, '', NULL),
      -- a nudge DM rewritten once answered
      (11, 1000, 'T1', 'D1', 'chat.update', '{"channel":"D1","ts":"1.2","text":"11"}',
       NULL, NULL, '', 'pending', 0, 2000, NULL, '', NULL),
      (12, 1000, 'T1', 'D1', 'chat.update', '{"channel":"D1","ts":"1.2","text":"12"}',
       NULL, NULL, '', 'sent', 0, 1000, '1.2', '', 3000),
      (13, 1000, 'T1', 'D2', 'chat.update', '{"channel":"D2","ts":"1.3","text":"13"}',
       NULL, NULL, '', 'failed', 0, 1000, NULL, 'message_not_found', 3000),
      -- a slash command's own answers: an echo falling back, and the invitation hint
      (14, 1000, 'T1', 'C1', 'response_url', '{"response_type":"in_channel","text":"14","url":"https://hooks.example/14"}',
       NULL, NULL, '', 'pending', 0, 2000, NULL, '', NULL),
      (15, 1000, 'T1', 'C1', 'response_url', '{"response_type":"in_channel","text":"15","url":"https://hooks.example/15"}',
       NULL, NULL, '', 'sent', 0, 1000, NULL, '', 3000),
      (16, 1000, 'T1', 'C1', 'response_url', '{"response_type":"ephemeral","text":"16","url":"https://hooks.example/16"}',
       NULL, NULL, '', 'pending', 0, 2000, NULL, '', NULL),
      (17, 1000, 'T1', 'C1', 'response_url', '{"response_type":"ephemeral","text":"17","url":"https://hooks.example/17"}',
       NULL, NULL, '', 'failed', 8, 1000, NULL, 'gave up after 8 attempts: 500', 3000),
      -- ephemeral messages, which no version queued
      (18, 3500, 'T1', 'C1', 'chat.postEphemeral', '{"channel":"C1","user":"U1","text":"18"}',
       NULL, NULL, '', 'pending', 1, 4000, NULL, 'ratelimited', NULL),
      (19, 1000, 'T1', 'C1', 'chat.postEphemeral', '{"channel":"C1","user":"U1","text":"19"}',
       NULL, NULL, '', 'sent', 0, 1000, NULL, '', 3000),
      -- a body the old sender could not read, and failed
      (20, 1000, 'T1', 'C1', 'chat.postMessage', 'not JSON', NULL, NULL, '', 'failed', 0, 1000, NULL,
       'stored body is not a JSON object', 3000);
  )");
}

// What every row keeps as it was: ids, threads, echoes, states, attempts, times and errors.
std::vector<std::string> kept_columns(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT json_array(id, team, created_at, thread_of, update_id, notify_on_failure, state,"
                      " attempts, not_before, last_error, finished_at) FROM outbox ORDER BY id");
  std::vector<std::string> rows;
  while (q.executeStep()) rows.push_back(q.getColumn(0).getString());
  return rows;
}

// How a row was carried over: its delivery and what its body became.
struct Carried {
  std::int64_t id;
  std::string delivery, destination;
  nlohmann::json rendered;
  std::string reply_handle{}, target{}, thread{};  // '' unless said
};

Carried carried(SQLite::Database& db, std::int64_t id) {
  SQLite::Statement q(db,
                      "SELECT delivery, destination, rendered, reply_handle, target, thread FROM outbox"
                      " WHERE id = ? AND platform = 'slack' AND message IS NULL AND interactive = 0");
  q.bind(1, id);
  REQUIRE(q.executeStep());
  const auto rendered = q.getColumn(2).getString();
  return {id,
          q.getColumn(0).getString(),
          q.getColumn(1).getString(),
          nlohmann::json::parse(rendered, nullptr, /*allow_exceptions=*/false),
          q.getColumn(3).getString(),
          q.getColumn(4).getString(),
          q.getColumn(5).getString()};
}

void check_carried(SQLite::Database& db, const Carried& expected) {
  INFO("outbox row " << expected.id);
  const Carried found = carried(db, expected.id);
  CHECK(found.delivery == expected.delivery);
  CHECK(found.destination == expected.destination);
  CHECK(found.rendered == expected.rendered);
  CHECK(found.reply_handle == expected.reply_handle);
  CHECK(found.target == expected.target);
  CHECK(found.thread == expected.thread);
}

std::vector<std::int64_t> ids_of(const std::vector<OutboxMessage>& messages) {
  std::vector<std::int64_t> ids;
  for (const auto& m : messages) ids.push_back(m.id);
  return ids;
}

}  // namespace

TEST_CASE("a version 6 outbox is carried over whole to the neutral outbox", "[outbox_migration][sqlite]") {
  test::TempDir dir;
  const auto path = dir.file("bot.db");
  write_version_6(path);
  std::vector<std::string> before;
  {
    SQLite::Database db(path);
    before = kept_columns(db);
  }
  REQUIRE(before.size() == 20);

  auto store = SqliteStore::open(path);
  auto& db = store->sql();
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());

  SECTION("every row keeps its id, thread, echo, state, attempts, times and error") {
    // Except the pending ephemeral message, which no sender can send any more.
    before[17] = R"([18,"T1",3500,null,null,"","failed",1,4000,)"
                 R"("carried over by migration 007: ephemeral messages are no longer queued",4000])";
    CHECK(kept_columns(db) == before);
    CHECK(store->outbox_state(18) == OutboxState::failed);
  }

  SECTION("each body becomes its delivery, without the old sender's control keys") {
    using nlohmann::json;
    const auto dm = json::parse(R"({"text":"1 ticket","blocks":[],"unfurl_links":false})");
    for (const Carried& expected : std::vector<Carried>{
             {1, "direct", "U7", dm},
             {2, "direct", "U7", json{{"text", "2"}}},
             {3, "direct", "U8", json{{"text", "3"}}},
             {4, "post", "C1", json{{"channel", "C1"}, {"text", "4"}}, "https://hooks.example/4"},
             {5, "post", "C1", json{{"channel", "C1"}, {"text", "5"}}, "https://hooks.example/5"},
             {6, "post", "C4", json{{"channel", "C4"}, {"text", "6"}, {"thread_ts", "100.1"}}, "", "", "100.1"},
             {7, "post", "C1", json{{"channel", "C1"}, {"text", "7"}}},
             {8, "post", "C1", json{{"channel", "C1"}, {"text", "8"}}},
             {11, "update", "D1", json{{"channel", "D1"}, {"ts", "1.2"}, {"text", "11"}}, "", "1.2"},
             {13, "update", "D2", json{{"channel", "D2"}, {"ts", "1.3"}, {"text", "13"}}, "", "1.3"},
             {14, "reply", "C1", json{{"response_type", "in_channel"}, {"text", "14"}}, "https://hooks.example/14"},
             {15, "reply", "C1", json{{"response_type", "in_channel"}, {"text", "15"}}, "https://hooks.example/15"},
             {16, "private_reply", "C1", json{{"response_type", "ephemeral"}, {"text", "16"}},
              "https://hooks.example/16"},
             {17, "private_reply", "C1", json{{"response_type", "ephemeral"}, {"text", "17"}},
              "https://hooks.example/17"},
             {18, "private_reply", "C1", json{{"channel", "C1"}, {"user", "U1"}, {"text", "18"}}},
             {19, "private_reply", "C1", json{{"channel", "C1"}, {"user", "U1"}, {"text", "19"}}},
         }) {
      check_carried(db, expected);
    }
    // Not JSON: carried over as it was, for the sender to fail as before (it had).
    CHECK(db.execAndGet("SELECT rendered FROM outbox WHERE id = 20").getString() == "not JSON");
  }

  SECTION("sent messages say where they went; a DM's channel was never recorded") {
    CHECK(store->sent_message(2) == SentMessage{"", "1.2"});
    CHECK(store->sent_message(4) == SentMessage{"C1", "1.4"});
    CHECK(store->sent_message(7) == SentMessage{"C1", "1.7"});
    CHECK(store->sent_message(12) == SentMessage{"D1", "1.2"});
    CHECK(store->sent_message(15) == SentMessage{"C1", ""});
    CHECK(store->sent_message(19) == SentMessage{"C1", ""});
    for (std::int64_t id : {1, 3, 5, 6, 8, 9, 10, 11, 13, 14, 16, 17, 18, 20}) {
      INFO("outbox row " << id);
      CHECK_FALSE(store->sent_message(id));
    }
  }

  SECTION("pending messages are still due, in order, whole") {
    CHECK(store->next_due("slack") == at_ms(2000));
    CHECK_FALSE(store->next_due("teams"));
    CHECK(store->pending_count() == 8);  // 10 too, which waits for 9
    const auto due = store->due_messages("slack", at_ms(10'000), 100);
    CHECK(ids_of(due) == std::vector<std::int64_t>{5, 8, 9, 11, 14, 16, 1});
    REQUIRE(due.size() == 7);
    const auto& dm = due.back();
    CHECK(dm.team == "T1");
    CHECK(dm.delivery == Delivery::direct);
    CHECK(dm.destination == "U7");
    CHECK(dm.rendered == R"({"text":"1 ticket","blocks":[],"unfurl_links":false})");
    CHECK(dm.message == Message{});
    CHECK(dm.attempts == 2);
    CHECK(dm.not_before == at_ms(5000));
    CHECK(due[0].update_id == 2);
    CHECK(due[0].reply_handle == "https://hooks.example/5");
    CHECK(due[1].thread_of == 7);
    CHECK(due[2].notify_on_failure == "U1");

    SECTION("a reply follows its carried-over parent once sent") {
      transact(*store, [&] { store->mark_sent(9, SentMessage{"C9", "1.9"}, at_ms(10'000)); });
      CHECK(ids_of(store->due_messages("slack", at_ms(10'000), 100)) ==
            std::vector<std::int64_t>{5, 8, 10, 11, 14, 16, 1});
    }
    SECTION("or fails with it") {
      transact(*store, [&] { store->mark_failed(9, "channel_not_found", at_ms(10'000)); });
      CHECK(store->outbox_state(10) == OutboxState::failed);
    }
    SECTION("an echo gives its update the ref") {
      transact(*store, [&] { store->mark_sent(5, SentMessage{"C1", "1.5"}, at_ms(10'000)); });
      CHECK(store->find_update(2)->echo_ref == "1.5");
    }
  }

  SECTION("the pruning keeps a carried-over parent while its reply waits") {
    CHECK(transact(*store, [&] { return store->prune_outbox(at_ms(100'000), 100); }) == 11);
    CHECK(store->outbox_state(7) == OutboxState::sent);
    CHECK_FALSE(store->outbox_state(2));
  }

  SECTION("the table is sound and indexed for the new queries only") {
    SQLite::Statement violations(db, "PRAGMA foreign_key_check");
    CHECK_FALSE(violations.executeStep());
    const auto schema = db.execAndGet("SELECT sql FROM sqlite_schema WHERE name = 'outbox'").getString();
    CHECK(schema.find("REFERENCES \"outbox\"") != std::string::npos);
    CHECK(db.execAndGet("SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema"
                        " WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name)")
              .getString() == "outbox_due outbox_finished outbox_pending_by_destination outbox_replies");
  }

  SECTION("workspaces are Slack's, wherever they were found; nudge DMs' blocks are gone") {
    CHECK(db.execAndGet("SELECT group_concat(team || ':' || platform, ' ') FROM (SELECT * FROM workspaces"
                        " ORDER BY team)")
              .getString() == "T1:slack T2:slack T3:slack T4:slack T5:slack");
    CHECK(store->workspace_platform("T4") == "slack");
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'nudge_messages'").getInt() == 0);
    CHECK(db.execAndGet("SELECT count(*) FROM interactive_messages").getInt() == 0);
    CHECK(db.execAndGet("SELECT count(*) FROM direct_conversations").getInt() == 0);
    CHECK_FALSE(store->interactive_message(MessageRef{"slack", "T1", "D1", "1.2"}));
  }
}

TEST_CASE("a version 4 outbox keeps its rows through every rebuild since", "[outbox_migration][sqlite]") {
  test::TempDir dir;
  const auto path = dir.file("bot.db");
  {
    auto db = test::database_at_version(path, 4);
    db.exec(R"(
      INSERT INTO outbox (id, created_at, team, channel, method, body, thread_of, update_id, notify_on_failure,
                          state, attempts, not_before, sent_ts, last_error, finished_at) VALUES
        (1, 10, 'T1', 'C1', 'chat.postMessage', '{"text":"a"}', NULL, NULL, '', 'sent', 0, 10, '1.1', '', 11),
        (2, 20, 'T1', 'C1', 'chat.postMessage', '{"text":"b"}', 1, NULL, '', 'pending', 0, 20, NULL, '', NULL);
    )");
  }
  auto store = SqliteStore::open(path);
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());
  CHECK(store->sent_message(1) == SentMessage{"C1", "1.1"});
  const auto due = store->due_messages("slack", at_ms(100), 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].thread_of == 1);
  CHECK(due[0].rendered == R"({"text":"b"})");
}

TEST_CASE("messages queued before version 9 are counted as `other`", "[outbox_migration][sqlite]") {
  test::TempDir dir;
  const auto path = dir.file("bot.db");
  {
    auto db = test::database_at_version(path, 8);
    db.exec(R"(
      INSERT INTO outbox (id, created_at, platform, team, destination, delivery, message, rendered, thread,
                          thread_of, target, reply_handle, interactive, update_id, notify_on_failure, state,
                          attempts, not_before, last_error) VALUES
        (1, 10, 'slack', 'T1', 'U1', 'direct', NULL, '{"text":"a"}', '', NULL, '', '', 1, NULL, '', 'pending',
         0, 10, '');
    )");
  }
  auto store = SqliteStore::open(path);
  const auto due = store->due_messages("slack", at_ms(100), 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].purpose == Purpose::other);
  CHECK_THROWS(store->sql().exec("UPDATE outbox SET purpose = 'echo'"));
}
