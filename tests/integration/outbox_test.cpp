// The outbox sender against the fake Slack: pacing, Retry-After, 5xx, timeouts, permanent
// errors, and messages that were queued before a restart.
#include <catch2/catch.hpp>

#include "outbox_harness.hpp"

using namespace microalign;
using namespace microalign::test;

TEST_CASE("messages queued before a restart are sent when the sender starts", "[outbox]") {
  Outbox o;
  auto first = o.queue("C1", "one");
  auto second = o.queue("C2", "two");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 2; }));
  CHECK(eventually([&] { return o.state(first) == storage::OutboxState::sent && o.state(second) == storage::OutboxState::sent; }));
  CHECK(o.posted_texts() == std::vector<std::string>{"one", "two"});
  const auto sent = o.store->sent_message(first);
  REQUIRE(sent);
  CHECK(sent->conversation == "C1");
  CHECK(sent->ref == o.slack.posted_messages().at(0)["ts"].get<std::string>());
}

TEST_CASE("one channel gets about one message a second, and others are not held up", "[outbox]") {
  Outbox o;
  o.queue("C1", "a1");
  o.queue("C1", "a2");
  o.queue("C2", "b1");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 2; }));
  CHECK(o.posted_texts() == std::vector<std::string>{"a1", "b1"});  // a2 waits its turn
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 3; }));
  CHECK(std::chrono::steady_clock::now() - started >= 700ms);
  CHECK(o.posted_texts().back() == "a2");
}

TEST_CASE("a 429 is retried after Retry-After", "[outbox]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply::rate_limited(1s));
  auto id = o.queue("C1", "patience");
  const auto started = std::chrono::steady_clock::now();
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::sent; }, 5s));
  CHECK(std::chrono::steady_clock::now() - started >= 1s);
  CHECK(o.slack.calls("chat.postMessage").size() == 2);
}

TEST_CASE("5xx and timeouts are retried with backoff", "[outbox]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply{503, {}, "upstream trouble", 0ms});
  Reply slow = Reply::json({{"ok", true}, {"ts", "1.000001"}});
  slow.delay = 1500ms;  // longer than the 500 ms the test allows a call
  o.slack.reply_next("chat.postMessage", slow);
  auto id = o.queue("C1", "persistence");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::sent; }, 10s));
  CHECK(o.slack.calls("chat.postMessage").size() == 3);
}

TEST_CASE("a permanent error fails the message, visibly, and tells whoever configured the channel",
          "[outbox]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply::error("not_in_channel"));
  auto id = o.queue("C9", "digest", "U777");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::failed; }));
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 1; }));
  const auto note = o.slack.posted_messages().at(0);
  CHECK(note["channel"] == "DU777");  // the bot's direct conversation with that person
  CHECK(note["text"].get<std::string>().find("/invite @microalign") != std::string::npos);
  std::this_thread::sleep_for(300ms);
  CHECK(o.slack.calls("chat.postMessage").size() == 2);  // never retried
}
