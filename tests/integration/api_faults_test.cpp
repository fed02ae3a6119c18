// Faults of Slack's Web API as the outbox meets them (chat.postMessage through the sender and the
// stored outbox): for each, the message goes out within a stated bound once the fault clears, the
// sender waits (Retry-After, backoff of 1, 2, 4 … s) instead of hammering Slack while it lasts,
// and no message is lost or posted more than once more.
#include <catch2/catch.hpp>

#include "outbox_harness.hpp"

using namespace microalign;
using namespace microalign::test;
using std::chrono::steady_clock;

namespace {

std::size_t posts_to(const Outbox& o, const std::string& channel) {
  std::size_t n = 0;
  for (const auto& call : o.slack.calls("chat.postMessage")) n += call.params.value("channel", "") == channel;
  return n;
}

}  // namespace

TEST_CASE("api fault: 5xx for 2.5 s is retried with backoff, and the message is sent within 2 s once it clears",
          "[outbox][faults]") {
  Outbox o;
  o.slack.on("chat.postMessage", [](const ApiCall&) { return Reply{503, {}, "upstream trouble", 0ms}; });
  auto id = o.queue("C1", "persistence");
  SenderHarness sender(o.config);
  std::this_thread::sleep_for(2500ms);
  // Tried at 0 s and 1 s; the next try is due at 3 s. A storm would be hundreds.
  CHECK(o.slack.calls("chat.postMessage").size() == 2);
  CHECK(o.state(id) == storage::OutboxState::pending);

  o.slack.clear_handler("chat.postMessage");
  const auto cleared = steady_clock::now();
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::sent; }, 3s));
  CHECK(steady_clock::now() - cleared < 2s);
  CHECK(o.posted_texts() == std::vector<std::string>{"persistence"});
}

TEST_CASE("api fault: an answer slower than the deadline is retried, and the message is posted at most once more",
          "[outbox][faults]") {
  Outbox o;  // api_timeout 500 ms
  // Slack posts it but answers after the bot stopped waiting: the bot cannot tell it was posted.
  o.slack.answer_late("chat.postMessage", 1500ms);
  auto id = o.queue("C1", "maybe twice");
  SenderHarness sender(o.config);
  // The deadline (500 ms), one backoff (1 s), the second try.
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::sent; }, 4s));
  std::this_thread::sleep_for(1500ms);
  CHECK(o.slack.calls("chat.postMessage").size() == 2);
  CHECK(o.posted_texts() == std::vector<std::string>{"maybe twice", "maybe twice"});
}

TEST_CASE("api fault: a permanent error fails its message after one call, and other channels are not held up",
          "[outbox][faults]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply::error("channel_not_found"));
  auto gone = o.queue("C9", "to a channel that is gone");
  auto fine = o.queue("C1", "to a channel that is fine");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.state(gone) == storage::OutboxState::failed; }));
  REQUIRE(eventually([&] { return o.state(fine) == storage::OutboxState::sent; }));
  std::this_thread::sleep_for(1500ms);  // past the first backoff: nothing comes back for it
  CHECK(posts_to(o, "C9") == 1);
  CHECK(o.posted_texts() == std::vector<std::string>{"to a channel that is fine"});
}

TEST_CASE("api fault: a 429 holds every post until Retry-After, then each is sent once", "[outbox][faults]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply::rate_limited(2s));
  auto first = o.queue("C1", "first");
  auto other = o.queue("C2", "other channel");
  const auto started = steady_clock::now();
  SenderHarness sender(o.config);
  REQUIRE(o.slack.wait_for_call("chat.postMessage", 2s));
  // Slack's limits are per method and workspace: the other channel's post waits too, unsent.
  std::this_thread::sleep_for(1500ms);
  CHECK(o.slack.calls("chat.postMessage").size() == 1);
  REQUIRE(eventually(
      [&] { return o.state(first) == storage::OutboxState::sent && o.state(other) == storage::OutboxState::sent; },
      3s));
  CHECK(steady_clock::now() - started >= 2s);
  CHECK(steady_clock::now() - started < 4s);
  CHECK(o.slack.calls("chat.postMessage").size() == 3);
  CHECK(posts_to(o, "C1") == 2);
  CHECK(posts_to(o, "C2") == 1);
}
