#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <stdexcept>

#include "../../storage/sqlite/migrations.hpp"  // the embedded migrations, to build a 004 file
#include "fixtures.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/nudge_messages.hpp"
#include "microalign/storage/outbox.hpp"
#include "query_plan.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::transact;

TEST_CASE("a nudge DM's blocks are remembered and replaced by the latest version", "[nudge_messages]") {
  test::TempDir dir;
  auto store = SqliteStore::open(dir.file("db.sqlite"));
  const MessageRef dm{"T1", "D1", "1700000000.000100"};
  CHECK_FALSE(store->nudge_message_blocks(dm));
  transact(*store, [&] { store->remember_nudge_message(dm, "[1]", at_ms(1)); });
  transact(*store, [&] { store->remember_nudge_message(dm, "[2]", at_ms(2)); });
  CHECK(store->nudge_message_blocks(dm) == "[2]");
  CHECK_FALSE(store->nudge_message_blocks(MessageRef{"T1", "D1", "1700000000.000200"}));
  CHECK_FALSE(store->nudge_message_blocks(MessageRef{"T2", "D1", dm.ts}));
  CHECK_THROWS_AS(store->remember_nudge_message(dm, "[3]", at_ms(3)), std::logic_error);
}

TEST_CASE("a version 4 outbox keeps its rows and learns chat.update", "[nudge_messages]") {
  test::TempDir dir;
  const auto path = dir.file("bot.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const Migration& m : migrations()) {
      if (m.version > 4) break;
      db.exec(std::string(m.sql));
    }
    db.exec("PRAGMA user_version = 4");
    db.exec(R"(
      INSERT INTO outbox (id, created_at, team, channel, method, body, thread_of, update_id, notify_on_failure,
                          state, attempts, not_before, sent_ts, last_error, finished_at) VALUES
        (1, 10, 'T1', 'C1', 'chat.postMessage', '{"text":"a"}', NULL, NULL, '', 'sent', 0, 10, '1.1', '', 11),
        (2, 20, 'T1', 'C1', 'chat.postMessage', '{"text":"b"}', 1, NULL, '', 'pending', 0, 20, NULL, '', NULL);
    )");
  }
  auto store = SqliteStore::open(path);
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());
  const auto schema = store->sql().execAndGet("SELECT sql FROM sqlite_schema WHERE name = 'outbox'").getString();
  CHECK(schema.find("REFERENCES \"outbox\"") != std::string::npos);
  CHECK(store->sent_ts(1) == "1.1");
  const auto due = store->due_messages(at_ms(100), 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].thread_of == 1);

  OutboxMessage update;
  update.team = "T1";
  update.channel = "D1";
  update.method = "chat.update";
  update.body = "{}";
  const auto id = transact(*store, [&] { return store->enqueue(update); });
  CHECK(store->outbox_state(id) == OutboxState::pending);
}

TEST_CASE("nudge DMs' blocks are forgotten once not changed for long, a limited number at a time",
          "[nudge_messages]") {
  test::TempDir dir;
  auto store = SqliteStore::open(dir.file("db.sqlite"));
  const MessageRef old_a{"T1", "D1", "1.1"}, old_b{"T1", "D2", "1.2"}, old_c{"T2", "D1", "1.1"};
  const MessageRef answered_lately{"T1", "D1", "1.3"}, at_cutoff{"T1", "D1", "1.4"};
  transact(*store, [&] {
    for (const auto& dm : {old_a, old_b, old_c}) store->remember_nudge_message(dm, "[old]", at_ms(10));
    store->remember_nudge_message(answered_lately, "[first]", at_ms(10));
    store->remember_nudge_message(answered_lately, "[again]", at_ms(200));
    store->remember_nudge_message(at_cutoff, "[cutoff]", at_ms(100));
  });
  auto forget = [&](std::size_t limit) {
    return transact(*store, [&] { return store->forget_nudge_messages(at_ms(100), limit); });
  };

  CHECK(forget(2) == 2);
  CHECK(forget(2) == 1);
  CHECK(forget(2) == 0);
  for (const auto& dm : {old_a, old_b, old_c}) CHECK_FALSE(store->nudge_message_blocks(dm));
  CHECK(store->nudge_message_blocks(answered_lately) == "[again]");
  CHECK(store->nudge_message_blocks(at_cutoff) == "[cutoff]");
  CHECK_THROWS_AS(store->forget_nudge_messages(at_ms(100), 1), std::logic_error);

  const auto plans = test::plans_of(store->sql(), [&] { forget(10); });
  REQUIRE(plans.size() == 1);
  INFO(plans[0].sql);
  CHECK(plans[0].uses("nudge_messages_by_age"));
  for (const auto& step : plans[0].steps) CHECK_FALSE(test::is_scan(step));
}
