// The outbox: what is due on each platform and in which order, threads, retries, failures,
// restarts.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "engines.hpp"
#include "fixtures.hpp"
#include "postgres/pg.hpp"
#include "microalign/storage/outbox.hpp"
#include "microalign/storage/store.hpp"
#include "query_plan.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::TempDir;
using test::TestDatabase;
using test::transact;

namespace {

// A post to Slack's channel C1 saying `text`.
OutboxMessage message(std::string text, std::int64_t due_ms = 1000) {
  OutboxMessage m;
  m.platform = "slack";
  m.team = "T1";
  m.destination = "C1";
  m.delivery = Delivery::post;
  m.message.fallback = std::move(text);
  m.created_at = at_ms(due_ms);
  m.not_before = at_ms(due_ms);
  return m;
}

OutboxMessage reply_to(std::int64_t parent, std::string text) {
  OutboxMessage m = message(std::move(text));
  m.thread_of = parent;
  return m;
}

std::int64_t queue(Engine& store, OutboxMessage m) {
  return transact(store, [&] { return store.enqueue(std::move(m)); });
}

// What the platform's due messages say, in order.
std::vector<std::string> due(Engine& store, std::int64_t now_ms, int limit = 100, std::string_view platform = "slack") {
  std::vector<std::string> texts;
  for (const auto& m : store.due_messages(platform, at_ms(now_ms), limit)) texts.push_back(m.message.fallback);
  return texts;
}

void sent(Engine& store, std::int64_t id, const std::string& ref, std::int64_t at = 5000) {
  transact(store, [&] { store.mark_sent(id, SentMessage{"C1", ref}, at_ms(at)); });
}

void failed(Engine& store, std::int64_t id, const std::string& error, std::int64_t at = 5000) {
  transact(store, [&] { store.mark_failed(id, error, at_ms(at)); });
}

// Kept for the operator.
std::string last_error(Engine& store, std::int64_t id) {
  return test::ask(store, "SELECT last_error FROM outbox WHERE id = " + std::to_string(id));
}

// Each engine says it its own way.
Catch::Matchers::StdString::RegexMatcher violates_check() {
  return Catch::Matches(R"([\s\S]*(CHECK constraint failed|violates check constraint)[\s\S]*)");
}

}  // namespace

TEST_CASE("a queued message comes back whole when due") {
  TestDatabase database;
  auto store = database.open();
  OutboxMessage m = message("2 tickets need you", 1000);
  m.platform = "teams";
  m.team = "T9";
  m.destination = "U7";
  m.delivery = Delivery::direct;
  m.message.blocks = {Section{{plain("ENG-1 "), bold("blocked"), microalign::link("why", "https://x.example/1"),
                               user_ref("U2", "Ann", false)}},
                      Divider{}, Actions{{Button{"Still blocked", "nudge_still", "ENG-1", Button::Style::danger}}}};
  m.thread = "1700000000.000050";
  m.target = "1700000000.000060";
  m.reply_handle = "https://hooks.example/1";
  m.interactive = true;
  m.notify_on_failure = "U5";
  m.purpose = Purpose::nudge;
  m.created_at = at_ms(900);
  const auto id = queue(*store, m);

  CHECK(store->due_messages("teams", at_ms(999), 10).empty());
  const auto found = store->due_messages("teams", at_ms(1000), 10);  // due at not_before itself
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == id);
  CHECK(found[0].platform == "teams");
  CHECK(found[0].team == "T9");
  CHECK(found[0].destination == "U7");
  CHECK(found[0].delivery == Delivery::direct);
  CHECK(found[0].message == m.message);
  CHECK(found[0].rendered.empty());
  CHECK(found[0].thread == "1700000000.000050");
  CHECK(found[0].thread_of == 0);
  CHECK(found[0].target == "1700000000.000060");
  CHECK(found[0].reply_handle == "https://hooks.example/1");
  CHECK(found[0].interactive);
  CHECK(found[0].update_id == 0);
  CHECK(found[0].notify_on_failure == "U5");
  CHECK(found[0].attempts == 0);
  CHECK(found[0].not_before == at_ms(1000));
  CHECK(found[0].created_at == at_ms(900));
  CHECK(found[0].purpose == Purpose::nudge);
  CHECK(store->outbox_state(id) == OutboxState::pending);
  CHECK_FALSE(store->outbox_state(id + 1));
  CHECK(store->pending_count() == 1);
}

TEST_CASE("a payload already rendered comes back as it was, without a message") {
  TestDatabase database;
  auto store = database.open();
  OutboxMessage m = message("ignored");
  m.rendered = R"({"channel":"C1","text":"as Slack takes it"})";
  queue(*store, m);
  const auto found = store->due_messages("slack", at_ms(5000), 10);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rendered == m.rendered);
  CHECK(found[0].message == Message{});
}

TEST_CASE("a message this binary cannot read is an error naming its row, not an empty message", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  auto store = SqliteStore::open(path);
  const auto id = queue(*store, message("hi"));
  // As a newer binary might have written it: a block this one does not know.
  SQLite::Statement newer(store->sql(),
                          R"(UPDATE outbox SET message = '{"fallback":"hi","blocks":[{"carousel":[]}]}' WHERE id = ?)");
  newer.bind(1, id);
  newer.exec();
  CHECK_THROWS_WITH(store->due_messages("slack", at_ms(5000), 10),
                    Catch::StartsWith(path + ": read due messages: ") &&
                        Catch::Contains("outbox row " + std::to_string(id) + " cannot be read"));
}

TEST_CASE("every delivery has a name that reads back") {
  for (Delivery d : {Delivery::post, Delivery::direct, Delivery::update, Delivery::reply, Delivery::private_reply}) {
    CHECK(delivery_from_string(to_string(d)) == d);
  }
  CHECK(to_string(Delivery::private_reply) == "private_reply");
  CHECK_FALSE(delivery_from_string("chat.postMessage"));
  CHECK_FALSE(delivery_from_string(""));
}

TEST_CASE("every purpose has a name that reads back, and a message is `other` unless it says") {
  for (Purpose p : {Purpose::other, Purpose::digest, Purpose::nudge}) CHECK(purpose_from_string(to_string(p)) == p);
  CHECK(to_string(Purpose::digest) == "digest");
  CHECK_FALSE(purpose_from_string("echo"));
  CHECK(OutboxMessage{}.purpose == Purpose::other);
}

TEST_CASE("the backlog is each platform's pending messages and when the oldest was queued") {
  TestDatabase database;
  auto store = database.open();
  CHECK(store->outbox_backlog().empty());
  auto old_slack = message("old", 1000);
  old_slack.not_before = at_ms(9000);  // put off: still the oldest queued
  queue(*store, old_slack);
  const auto sent_id = queue(*store, message("sent already", 500));
  sent(*store, sent_id, "1.1");
  queue(*store, message("new", 3000));
  auto to_teams = message("to Teams", 2000);
  to_teams.platform = "teams";
  queue(*store, to_teams);

  CHECK(store->outbox_backlog() == std::vector<OutboxBacklog>{{"slack", 2, at_ms(1000)}, {"teams", 1, at_ms(2000)}});
}

TEST_CASE("each platform's sender sees only its own messages") {
  TestDatabase database;
  auto store = database.open();
  queue(*store, message("to Slack", 3000));
  OutboxMessage to_teams = message("to Teams", 2000);
  to_teams.platform = "teams";
  const auto teams_id = queue(*store, to_teams);

  CHECK(due(*store, 5000) == std::vector<std::string>{"to Slack"});
  CHECK(due(*store, 5000, 100, "teams") == std::vector<std::string>{"to Teams"});
  CHECK(due(*store, 5000, 100, "sandbox").empty());
  CHECK(store->next_due("slack") == at_ms(3000));
  CHECK(store->next_due("teams") == at_ms(2000));
  CHECK_FALSE(store->next_due("sandbox"));
  CHECK(store->pending_count() == 2);  // every platform's

  transact(*store, [&] { store->mark_sent(teams_id, SentMessage{"19:abc@thread.v2", "1712345"}, at_ms(5000)); });
  CHECK(store->next_due("teams") == std::nullopt);
  CHECK(store->next_due("slack") == at_ms(3000));
}

TEST_CASE("due messages come in the order they fell due, then the order queued, up to a limit") {
  TestDatabase database;
  auto store = database.open();
  queue(*store, message("later", 3000));
  queue(*store, message("first", 1000));
  queue(*store, message("digest 1", 2000));
  queue(*store, message("digest 2", 2000));
  queue(*store, message("digest 3", 2000));
  queue(*store, message("not yet", 9000));
  OutboxMessage at_once = message("at once");
  at_once.not_before = {};  // unset: due immediately
  queue(*store, at_once);

  CHECK(due(*store, 5000) ==
        std::vector<std::string>{"at once", "first", "digest 1", "digest 2", "digest 3", "later"});
  CHECK(due(*store, 5000, 2) == std::vector<std::string>{"at once", "first"});
  CHECK(store->next_due("slack") == SysTime{});
}

TEST_CASE("a reply waits for its thread's parent to be sent") {
  TestDatabase database;
  auto store = database.open();
  const auto parent = queue(*store, message("summary"));
  const auto reply = queue(*store, reply_to(parent, "details"));
  CHECK(due(*store, 5000) == std::vector<std::string>{"summary"});
  CHECK_FALSE(store->sent_message(parent));

  SECTION("sent: the reply is due and can find where the parent went") {
    sent(*store, parent, "1700000000.000100");
    CHECK(due(*store, 5000) == std::vector<std::string>{"details"});
    CHECK(store->due_messages("slack", at_ms(5000), 1).front().thread_of == parent);
    CHECK(store->sent_message(parent) == SentMessage{"C1", "1700000000.000100"});
    CHECK(store->outbox_state(parent) == OutboxState::sent);
    CHECK(store->outbox_state(reply) == OutboxState::pending);
  }
  SECTION("put off: the reply waits on") {
    transact(*store, [&] { store->retry_later(parent, at_ms(8000), "ratelimited"); });
    CHECK(due(*store, 5000).empty());
    CHECK(store->next_due("slack") == at_ms(8000));  // the waiting reply does not count
  }
}

TEST_CASE("next_due is the earliest pending message that could go") {
  TestDatabase database;
  auto store = database.open();
  CHECK_FALSE(store->next_due("slack"));
  const auto parent = queue(*store, message("parent", 4000));
  OutboxMessage early_reply = reply_to(parent, "early reply");
  early_reply.not_before = at_ms(1000);
  queue(*store, early_reply);
  queue(*store, message("other", 6000));
  CHECK(store->next_due("slack") == at_ms(4000));
  sent(*store, parent, "1.1");
  CHECK(store->next_due("slack") == at_ms(1000));
}

TEST_CASE("a message put off counts the attempt, keeps the error and waits") {
  TestDatabase database;
  auto store = database.open();
  const auto id = queue(*store, message("flaky"));
  transact(*store, [&] { store->retry_later(id, at_ms(3000), "internal_error"); });
  transact(*store, [&] { store->retry_later(id, at_ms(7000), "ratelimited"); });

  CHECK(due(*store, 6999).empty());
  CHECK(store->next_due("slack") == at_ms(7000));
  const auto found = store->due_messages("slack", at_ms(7000), 10);
  REQUIRE(found.size() == 1);
  CHECK(found[0].attempts == 2);
  CHECK(found[0].not_before == at_ms(7000));
  CHECK(last_error(*store, id) == "ratelimited");
  CHECK(store->outbox_state(id) == OutboxState::pending);
}

TEST_CASE("a message given up on takes its pending replies with it") {
  TestDatabase database;
  auto store = database.open();
  const auto parent = queue(*store, message("summary"));
  const auto reply = queue(*store, reply_to(parent, "details"));
  const auto nested = queue(*store, reply_to(reply, "more details"));
  const auto other = queue(*store, message("unrelated"));

  failed(*store, parent, "not_in_channel");
  CHECK(store->outbox_state(parent) == OutboxState::failed);
  CHECK(last_error(*store, parent) == "not_in_channel");
  for (auto id : {reply, nested}) {
    CHECK(store->outbox_state(id) == OutboxState::failed);
    CHECK(last_error(*store, id) == "thread parent could not be sent");
  }
  CHECK(store->outbox_state(other) == OutboxState::pending);
  CHECK(due(*store, 5000) == std::vector<std::string>{"unrelated"});
  CHECK(store->pending_count() == 1);

  SECTION("a reply queued after its parent failed fails at once") {
    const auto late = queue(*store, reply_to(parent, "late details"));
    CHECK(store->outbox_state(late) == OutboxState::failed);
    CHECK(last_error(*store, late) == "thread parent could not be sent");
    CHECK(store->pending_count() == 1);
  }
}

TEST_CASE("queued messages survive a restart") {
  TestDatabase database;
  std::int64_t parent = 0;
  {
    auto store = database.open();
    parent = queue(*store, message("summary"));
    queue(*store, reply_to(parent, "details"));
    queue(*store, message("echo"));
  }
  auto store = database.open();
  CHECK(store->pending_count() == 3);
  CHECK(due(*store, 5000) == std::vector<std::string>{"summary", "echo"});
  sent(*store, parent, "1.1");
  CHECK(due(*store, 5000) == std::vector<std::string>{"details", "echo"});
}

TEST_CASE("sending an echo gives its update the echo's ref") {
  TestDatabase database;
  auto store = database.open();
  const auto update_id = test::insert(*store, test::make_update("ENG-1 on track"));
  OutboxMessage echo = message("echo");
  echo.update_id = update_id;
  const auto id = queue(*store, echo);
  CHECK(store->due_messages("slack", at_ms(5000), 10).front().update_id == update_id);

  sent(*store, id, "1700000000.000200");
  CHECK(store->find_update(update_id)->echo_ref == "1700000000.000200");

  SECTION("sent as a reply, which gets no ref: no echo ref") {
    const auto other_update = test::insert(*store, test::make_update("ENG-2 on track"));
    OutboxMessage response = message("echo");
    response.delivery = Delivery::reply;
    response.reply_handle = "https://hooks.example/1";
    response.update_id = other_update;
    const auto response_id = queue(*store, response);
    sent(*store, response_id, "");
    CHECK(store->outbox_state(response_id) == OutboxState::sent);
    CHECK(store->sent_message(response_id) == SentMessage{"C1", ""});
    CHECK(store->find_update(other_update)->echo_ref.empty());
  }
}

TEST_CASE("a direct message records the conversation it went to") {
  TestDatabase database;
  auto store = database.open();
  OutboxMessage dm = message("nudge");
  dm.delivery = Delivery::direct;
  dm.destination = "U7";
  const auto id = queue(*store, dm);
  transact(*store, [&] { store->mark_sent(id, SentMessage{"D42", "1700000000.000300"}, at_ms(5000)); });
  CHECK(store->sent_message(id) == SentMessage{"D42", "1700000000.000300"});
  CHECK_FALSE(store->sent_message(id + 1));
}

TEST_CASE("outbox writes are checked and run only inside a transaction") {
  TestDatabase database;
  auto store = database.open();
  const auto path = store->name();
  SECTION("an unknown delivery is refused") {
    OutboxMessage m = message("hi");
    m.delivery = static_cast<Delivery>(42);
    CHECK_THROWS_WITH(queue(*store, m), Catch::StartsWith(path + ": enqueue message: ") && violates_check());
  }
  SECTION("a message for no platform is refused: no sender would ever send it") {
    OutboxMessage m = message("hi");
    m.platform.clear();
    CHECK_THROWS_WITH(queue(*store, m), violates_check());
  }
  SECTION("a reply to a message that does not exist is refused") {
    CHECK_THROWS_AS(queue(*store, reply_to(42, "orphan")), StorageError);
  }
  SECTION("outside a transaction") {
    CHECK_THROWS_AS(store->enqueue(message("loose")), std::logic_error);
    CHECK_THROWS_AS(store->mark_sent(1, SentMessage{"C1", "1.1"}, at_ms(0)), std::logic_error);
    CHECK_THROWS_AS(store->retry_later(1, at_ms(0), "x"), std::logic_error);
    CHECK_THROWS_AS(store->mark_failed(1, "x", at_ms(0)), std::logic_error);
  }
  CHECK(store->pending_count() == 0);
}

TEST_CASE("the sender's queries read only pending messages, through their index", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  const auto parent = queue(*store, message("summary"));
  queue(*store, reply_to(parent, "details"));
  auto& db = store->sql();

  SECTION("due messages") {
    const auto plans = test::plans_of(db, [&] { store->due_messages("slack", at_ms(5000), 10); });
    REQUIRE(plans.size() == 1);
    INFO(plans[0].sql);
    CHECK(plans[0].uses("outbox_due"));
    for (const auto& step : plans[0].steps) CHECK_FALSE(test::is_scan(step));
  }
  SECTION("next due") {
    const auto plans = test::plans_of(db, [&] { store->next_due("slack"); });
    REQUIRE(plans.size() == 1);
    INFO(plans[0].sql);
    // The platform's first pending rows, in order, through the partial index: however long the
    // backlog, no more than the window.
    CHECK(plans[0].steps.front() == "CO-ROUTINE o");
    CHECK(plans[0].steps.at(1) == "SEARCH outbox USING INDEX outbox_due (platform=?)");
    for (const auto& step : plans[0].steps) CHECK_FALSE(test::is_scan(step));
  }
  SECTION("a claim") {
    const auto plans = test::plans_of(
        db, [&] { transact(*store, [&] { store->claim_due("slack", at_ms(5000), 10, at_ms(35'000)); }); });
    std::vector<std::string> steps;
    for (const auto& plan : plans) {
      if (plan.sql.starts_with("UPDATE")) steps = plan.steps;
    }
    // The window through outbox_due; a destination's earlier messages through its own index;
    // holds by their key.
    CHECK(std::count(steps.begin(), steps.end(),
                     "SEARCH outbox USING INDEX outbox_due (platform=? AND not_before<?)") == 1);
    CHECK(std::count(
              steps.begin(), steps.end(),
              "SEARCH e USING INDEX outbox_pending_by_destination (platform=? AND destination=? AND not_before<?)") ==
          1);
    for (const auto& step : steps) {
      INFO(step);
      if (step != "SCAN o") CHECK_FALSE(test::is_scan(step));  // "o": the window, read once
    }
  }
  SECTION("the backlog") {
    const auto plans = test::plans_of(db, [&] { store->outbox_backlog(); });
    REQUIRE(plans.size() == 1);
    INFO(plans[0].sql);
    // The whole of the partial index outbox_due, which holds only the pending rows, platform first.
    CHECK(plans[0].steps == std::vector<std::string>{"SCAN outbox USING INDEX outbox_due"});
  }
  SECTION("a failure finds the pending replies through the replies' index") {
    const auto plans = test::plans_of(db, [&] { failed(*store, parent, "not_in_channel"); });
    REQUIRE(plans.size() == 2);
    INFO(plans[1].sql);
    CHECK(plans[1].uses("outbox_replies"));
    for (const auto& plan : plans) {
      for (const auto& step : plan.steps) {
        if (step != "SCAN lost") CHECK_FALSE(test::is_scan(step));  // the replies found so far
      }
    }
  }
}

namespace {

constexpr std::int64_t cutoff_ms = 100'000;  // finished before this: old enough to forget

std::size_t prune(Engine& store, std::size_t limit = 100) {
  return transact(store, [&] { return store.prune_outbox(at_ms(cutoff_ms), limit); });
}

bool kept(Engine& store, std::int64_t id) { return store.outbox_state(id).has_value(); }

}  // namespace

TEST_CASE("finished messages are forgotten once old, and pending and recent ones stay", "[prune]") {
  TestDatabase database;
  auto store = database.open();
  const auto old_sent = queue(*store, message("old sent"));
  const auto old_failed = queue(*store, message("old failed"));
  const auto recent = queue(*store, message("recent"));
  const auto at_cutoff = queue(*store, message("finished at the cutoff"));
  const auto ancient_pending = queue(*store, message("pending for ages", 0));
  transact(*store, [&] { store->retry_later(ancient_pending, at_ms(200'000), "ratelimited"); });
  sent(*store, old_sent, "1.1", 5000);
  failed(*store, old_failed, "channel_not_found", 6000);
  sent(*store, recent, "1.2", 150'000);
  sent(*store, at_cutoff, "1.3", cutoff_ms);

  CHECK(prune(*store) == 2);
  CHECK_FALSE(kept(*store, old_sent));
  CHECK_FALSE(kept(*store, old_failed));
  CHECK(kept(*store, recent));
  CHECK(kept(*store, at_cutoff));
  CHECK(store->outbox_state(ancient_pending) == OutboxState::pending);
  CHECK(prune(*store) == 0);
}

TEST_CASE("a thread's parent stays while any reply to it remains", "[prune]") {
  TestDatabase database;
  auto store = database.open();
  const auto parent = queue(*store, message("summary"));
  const auto first = queue(*store, reply_to(parent, "details"));
  const auto second = queue(*store, reply_to(parent, "more details"));
  sent(*store, parent, "1.1", 5000);
  sent(*store, first, "1.2", 5000);
  transact(*store, [&] { store->retry_later(second, at_ms(200'000), "ratelimited"); });

  SECTION("a pending reply keeps its parent, and can still find where the parent went") {
    CHECK(prune(*store) == 1);  // the reply already sent
    CHECK_FALSE(kept(*store, first));
    CHECK(store->sent_message(parent) == SentMessage{"C1", "1.1"});
    CHECK(due(*store, 200'000) == std::vector<std::string>{"more details"});
  }
  SECTION("a recent reply keeps its parent") {
    sent(*store, second, "1.3", 150'000);
    CHECK(prune(*store) == 1);
    CHECK(kept(*store, parent));
    CHECK(kept(*store, second));
  }
  SECTION("once every reply is old, the whole thread goes in one call, replies first") {
    sent(*store, second, "1.3", 6000);
    CHECK(prune(*store) == 3);
    CHECK(test::ask(*store, "SELECT count(*) FROM outbox") == "0");
  }
}

TEST_CASE("a nested thread goes leaves first, and a failed one goes too", "[prune]") {
  TestDatabase database;
  auto store = database.open();
  const auto parent = queue(*store, message("summary"));
  const auto reply = queue(*store, reply_to(parent, "details"));
  const auto nested = queue(*store, reply_to(reply, "more details"));
  const auto pending_elsewhere = queue(*store, message("other"));
  failed(*store, parent, "not_in_channel", 5000);  // takes reply and nested with it
  REQUIRE(store->outbox_state(nested) == OutboxState::failed);

  CHECK(prune(*store) == 3);
  CHECK_FALSE(kept(*store, parent));
  CHECK(store->outbox_state(pending_elsewhere) == OutboxState::pending);
  // (PostgreSQL checks every reference as it is written.)
  if (auto* sqlite = dynamic_cast<SqliteStore*>(store.get())) {
    SQLite::Statement violations(sqlite->sql(), "PRAGMA foreign_key_check(outbox)");
    CHECK_FALSE(violations.executeStep());
  }
}

TEST_CASE("pruning forgets at most the limit per call, and says when it is done", "[prune]") {
  TestDatabase database;
  auto store = database.open();
  const auto parent = queue(*store, message("summary"));
  for (const char* body : {"a", "b", "c"}) sent(*store, queue(*store, reply_to(parent, body)), "2.1", 6000);
  sent(*store, parent, "1.1", 5000);  // sent before its replies, as always

  CHECK(prune(*store, 2) == 2);  // the oldest that nothing replies to: two of the replies
  CHECK(kept(*store, parent));
  CHECK(prune(*store, 2) == 2);  // the last reply, then the parent
  CHECK(prune(*store, 2) == 0);
}

TEST_CASE("a forgotten echo leaves its update's echo_ref", "[prune]") {
  TestDatabase database;
  auto store = database.open();
  const auto update_id = test::insert(*store, test::make_update("ENG-1 on track"));
  OutboxMessage echo = message("echo");
  echo.update_id = update_id;
  const auto id = queue(*store, echo);
  sent(*store, id, "1700000000.000200", 5000);

  CHECK(prune(*store) == 1);
  CHECK_FALSE(kept(*store, id));
  CHECK(store->find_update(update_id)->echo_ref == "1700000000.000200");
}

TEST_CASE("pruning finds old messages and their replies through indexes", "[prune][sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  const auto parent = queue(*store, message("summary"));
  queue(*store, reply_to(parent, "details"));
  sent(*store, parent, "1.1", 5000);

  const auto plans = test::plans_of(store->sql(), [&] { prune(*store); });
  REQUIRE(plans.size() == 1);
  INFO(plans[0].sql);
  CHECK(plans[0].uses("outbox_finished"));
  CHECK(plans[0].uses("outbox_replies"));
  for (const auto& step : plans[0].steps) CHECK_FALSE(test::is_scan(step));
  CHECK_THROWS_AS(store->prune_outbox(at_ms(cutoff_ms), 10), std::logic_error);
}
