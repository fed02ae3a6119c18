// Interactive messages (the nudge DMs) kept as they now read, by the platform's name for them.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <stdexcept>

#include "../../storage/postgres/pg.hpp"
#include "engines.hpp"
#include "microalign/storage/interactive_messages.hpp"
#include "query_plan.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::transact;

namespace {

// A nudge DM with one ticket's buttons, or (answered) the outcome in their place.
Message nudge_dm(const std::string& ticket_line) {
  Message m;
  m.fallback = "1 ticket needs you";
  m.blocks = {Section{{bold("ENG-1"), plain(" " + ticket_line), microalign::link("thread", "https://x.example/p1"),
                       user_ref("U2", "Ann", false)}},
              Context{{italic("quiet for 3 days")}}, Divider{},
              Actions{{Button{"Still on track", "nudge_on_track", "ENG-1", Button::Style::primary},
                       Button{"Snooze", "nudge_snooze", "ENG-1"}}}};
  return m;
}

}  // namespace

TEST_CASE("an interactive message is kept whole and replaced by its latest version", "[interactive_messages]") {
  test::TestDatabase db;
  auto store = db.open();
  const MessageRef dm{"slack", "T1", "D1", "1700000000.000100"};
  const Message first = nudge_dm("is quiet");
  Message answered = first;
  answered.blocks.back() = Context{{plain("Answered: still on track")}};

  CHECK_FALSE(store->interactive_message(dm));
  transact(*store, [&] { store->keep_interactive(dm, first, at_ms(1)); });
  CHECK(store->interactive_message(dm) == first);
  transact(*store, [&] { store->keep_interactive(dm, answered, at_ms(2)); });
  CHECK(store->interactive_message(dm) == answered);

  // Every part of the name counts.
  CHECK_FALSE(store->interactive_message(MessageRef{"teams", "T1", "D1", dm.ref}));
  CHECK_FALSE(store->interactive_message(MessageRef{"slack", "T2", "D1", dm.ref}));
  CHECK_FALSE(store->interactive_message(MessageRef{"slack", "T1", "D2", dm.ref}));
  CHECK_FALSE(store->interactive_message(MessageRef{"slack", "T1", "D1", "1700000000.000200"}));
  CHECK_THROWS_AS(store->keep_interactive(dm, first, at_ms(3)), std::logic_error);
}

TEST_CASE("a kept message that cannot be read back reads as none kept", "[interactive_messages]") {
  test::TestDatabase db;
  auto store = db.open();
  const MessageRef dm{"slack", "T1", "D1", "1.1"};
  transact(*store, [&] { store->keep_interactive(dm, nudge_dm("is quiet"), at_ms(1)); });
  auto overwrite = [&](const std::string& text) {
    test::overwrite(*store, "UPDATE interactive_messages SET message = :text", text);
  };

  SECTION("not JSON") { overwrite("[{\"type\":\"section\""); }
  SECTION("not in this binary's format (a newer one's block)") {
    overwrite(R"({"fallback":"hi","blocks":[{"carousel":[]}]})");
  }
  SECTION("Slack's blocks, as 005's table held them") { overwrite(R"([{"type":"divider"}])"); }
  CHECK_FALSE(store->interactive_message(dm));
}

TEST_CASE("interactive messages are forgotten once not changed for long, a limited number at a time",
          "[interactive_messages]") {
  test::TestDatabase db;
  auto store = db.open();
  const MessageRef old_a{"slack", "T1", "D1", "1.1"}, old_b{"slack", "T1", "D2", "1.2"},
      old_c{"teams", "T2", "a:1", "f:1"};
  const MessageRef answered_lately{"slack", "T1", "D1", "1.3"}, at_cutoff{"slack", "T1", "D1", "1.4"};
  const Message again = nudge_dm("again"), cutoff = nudge_dm("at the cutoff");
  transact(*store, [&] {
    for (const auto& dm : {old_a, old_b, old_c}) store->keep_interactive(dm, nudge_dm("old"), at_ms(10));
    store->keep_interactive(answered_lately, nudge_dm("first"), at_ms(10));
    store->keep_interactive(answered_lately, again, at_ms(200));
    store->keep_interactive(at_cutoff, cutoff, at_ms(100));
  });
  auto forget = [&](std::size_t limit) {
    return transact(*store, [&] { return store->forget_interactive_messages(at_ms(100), limit); });
  };

  CHECK(forget(2) == 2);
  CHECK(forget(2) == 1);
  CHECK(forget(2) == 0);
  for (const auto& dm : {old_a, old_b, old_c}) CHECK_FALSE(store->interactive_message(dm));
  CHECK(store->interactive_message(answered_lately) == again);
  CHECK(store->interactive_message(at_cutoff) == cutoff);
  CHECK_THROWS_AS(store->forget_interactive_messages(at_ms(100), 1), std::logic_error);
}

TEST_CASE("forgetting old interactive messages reads them by age, through an index", "[interactive_messages][sqlite]") {
  test::TempDir dir;
  auto store = SqliteStore::open(dir.file("db.sqlite"));
  transact(*store, [&] {
    store->keep_interactive(MessageRef{"slack", "T1", "D1", "1.1"}, nudge_dm("old"), at_ms(10));
  });
  const auto plans = test::plans_of(
      store->sql(), [&] { transact(*store, [&] { return store->forget_interactive_messages(at_ms(100), 10); }); });
  REQUIRE(plans.size() == 1);
  INFO(plans[0].sql);
  CHECK(plans[0].uses("interactive_messages_by_age"));
  for (const auto& step : plans[0].steps) CHECK_FALSE(test::is_scan(step));
}
