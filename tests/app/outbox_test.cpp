// The outbox sender's decisions, the same for every platform: pacing per destination, retrying
// what may work later, pausing a kind of send the platform rate-limits, giving up visibly, and
// what follows a message that cannot be posted. One sender over the test platform, outside the
// Service, woken each time the test moves the clock.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;
using storage::Delivery;
using storage::OutboxState;

namespace {

struct Sender {
  AppHarness h;
  TestPlatform& platform = h.platform();

  Sender() = default;

  storage::OutboxMessage message(Delivery delivery, const std::string& destination, const std::string& text) {
    storage::OutboxMessage m;
    m.platform = "test";
    m.team = "T1";
    m.destination = destination;
    m.delivery = delivery;
    m.message = Message{text, {Section{{plain(text)}}}};
    m.created_at = h.clock.now();
    m.not_before = h.clock.now();
    return m;
  }

  std::int64_t queue(const storage::OutboxMessage& m) {
    return h.read([&](storage::Store& s) { return s.enqueue(m); });
  }
  std::int64_t post(const std::string& channel, const std::string& text) {
    return queue(message(Delivery::post, channel, text));
  }

  app::OutboxSender* sender = nullptr;

  void start() { sender = &h.start_sender(platform); }
  // Runs until the platform was asked `n` sends in all.
  void until_sent(std::size_t n) {
    REQUIRE(h.run_until([&] { return platform.sent().size() >= n; }));
    CHECK(platform.sent().size() == n);
  }
  // Gives the sender a moment: to see that it sends nothing more.
  void nothing_more(std::size_t sent_so_far) {
    h.run_for(30ms);
    CHECK(platform.sent().size() == sent_so_far);
  }
  std::optional<OutboxState> state(std::int64_t id) {
    return h.read([&](storage::Store& s) { return s.outbox_state(id); });
  }
  std::string text(std::size_t i) { return plain_text(platform.sent().at(i).message.message); }
};

}  // namespace

TEST_CASE("a destination gets a message a second at most, and others are not held up", "[outbox]") {
  Sender s;
  s.post("C1", "first");
  s.post("C1", "second");
  s.post("C2", "other channel");
  s.start();

  s.until_sent(2);
  CHECK(s.text(0) == "first");
  CHECK(s.text(1) == "other channel");
  s.h.advance(999ms);
  s.nothing_more(2);
  s.h.advance(1ms);
  s.until_sent(3);
  CHECK(s.text(2) == "second");
  CHECK(s.platform.sent()[2].at - s.platform.sent()[0].at == 1s);
}

TEST_CASE("a transient failure is tried again later: after Retry-After when the platform says, else with backoff",
          "[outbox]") {
  Sender s;
  std::chrono::milliseconds wait;
  SECTION("backing off") {
    s.platform.script_send(send_outcome::transient("HTTP 503"));
    wait = 1s;  // the first retry's
  }
  SECTION("Retry-After") {
    s.platform.script_send(send_outcome::transient("HTTP 503", 7s));
    wait = 7s;
  }
  const auto id = s.post("C1", "hello");
  s.start();
  s.until_sent(1);

  const auto pending = s.h.pending();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].attempts == 1);
  CHECK(pending[0].not_before == s.h.clock.now() + wait);
  s.h.advance(wait - 1ms);
  s.nothing_more(1);
  s.h.advance(1ms);
  s.until_sent(2);
  REQUIRE(s.h.run_until([&] { return s.state(id) == OutboxState::sent; }));
  CHECK(s.h.metric(R"(microalign_outbox_sends_total{platform="test",outcome="retried"})") == 1);
  CHECK(s.h.metric(R"(microalign_outbox_sends_total{platform="test",outcome="sent"})") == 1);
}

TEST_CASE("a message that keeps failing transiently is given up after eight attempts", "[outbox]") {
  Sender s;
  for (int i = 0; i < 8; ++i) s.platform.script_send(send_outcome::transient("timed out"));
  const auto id = s.post("C1", "hello");
  s.start();
  for (std::size_t attempt = 1; attempt <= 8; ++attempt) {
    s.until_sent(attempt);
    s.h.advance(5min);  // longer than any backoff
  }
  REQUIRE(s.h.run_until([&] { return s.state(id) == OutboxState::failed; }));
  s.nothing_more(8);
  CHECK(s.h.metric(R"(microalign_outbox_sends_total{platform="test",outcome="retried"})") == 7);
  CHECK(s.h.metric(R"(microalign_outbox_sends_total{platform="test",outcome="failed"})") == 1);
  CHECK(s.h.metric(R"(microalign_outbox_sends_total{platform="test",outcome="sent"})") == 0);
}

TEST_CASE("a rate limit holds every send of its kind until Retry-After, and other kinds go on", "[outbox]") {
  Sender s;
  s.platform.script_send(send_outcome::rate_limited(30s));
  s.post("C1", "limited");
  s.post("C2", "same kind, elsewhere");
  s.queue(s.message(Delivery::direct, "U9", "another kind"));
  s.start();

  s.until_sent(2);
  CHECK(s.text(0) == "limited");
  CHECK(s.text(1) == "another kind");
  s.h.advance(29s);
  s.nothing_more(2);
  s.h.advance(1s);
  s.until_sent(4);
  CHECK(s.platform.sent()[2].outcome.ok);
  CHECK(s.platform.sent()[3].outcome.ok);
}

TEST_CASE("a permanent error fails the message at once, and it is not tried again", "[outbox]") {
  Sender s;
  s.platform.script_send(send_outcome::permanent("invalid_blocks"));
  auto digest = s.message(Delivery::post, "C1", "digest");
  digest.notify_on_failure = "U1";
  const auto id = s.queue(digest);
  s.start();

  s.until_sent(1);
  REQUIRE(s.h.run_until([&] { return s.state(id) == OutboxState::failed; }));
  s.h.advance(1h);
  s.nothing_more(1);  // nor is anyone told: that is for channels the bot cannot post in
}

TEST_CASE("a message for a channel the bot cannot post in is told privately to whoever set the channel up",
          "[outbox]") {
  Sender s;
  s.platform.script_send(send_outcome::cannot_post_here("not_in_channel"));
  auto digest = s.message(Delivery::post, "C9", "digest");
  digest.notify_on_failure = "U1";
  const auto id = s.queue(digest);
  s.start();

  s.until_sent(2);
  REQUIRE(s.h.run_until([&] { return s.state(id) == OutboxState::failed; }));
  const auto& note = s.platform.sent()[1];
  CHECK(note.message.delivery == Delivery::direct);
  CHECK(note.message.destination == "U1");
  CHECK(note.conversation == "D-U1");
  CHECK_THAT(plain_text(note.message.message), Contains("#C9") && Contains("@microalign"));
}

TEST_CASE("a post the bot cannot make goes through the command's own answer, and its author learns to invite the bot",
          "[outbox]") {
  Sender s;
  s.platform.script_send(send_outcome::cannot_post_here("not_in_channel"));
  auto echo = s.message(Delivery::post, "C9", "the echo");
  echo.reply_handle = "answer-/status";
  const auto id = s.queue(echo);
  s.start();

  s.until_sent(1);
  REQUIRE(s.h.run_until([&] { return s.state(id) == OutboxState::failed; }));
  for (std::size_t n = 2; n <= 3; ++n) {  // paced: both answer in C9
    s.h.advance(1s);
    s.until_sent(n);
  }
  const auto& reply = s.platform.sent()[1].message;
  CHECK(reply.delivery == Delivery::reply);
  CHECK(reply.reply_handle == "answer-/status");
  CHECK(reply.message == echo.message);  // the same message, seen by the channel
  const auto& hint = s.platform.sent()[2].message;
  CHECK(hint.delivery == Delivery::private_reply);
  CHECK(hint.reply_handle == "answer-/status");
  CHECK_THAT(plain_text(hint.message), Contains("/invite @microalign"));
}

TEST_CASE("a reply goes in its parent's thread once the parent is sent, and fails with it when it is not", "[outbox]") {
  Sender s;
  SECTION("sent") {
    const auto parent = s.post("C1", "summary");
    auto reply = s.message(Delivery::post, "C1", "details");
    reply.thread_of = parent;
    s.queue(reply);
    s.start();
    s.until_sent(1);
    s.h.advance(1s);
    s.until_sent(2);
    CHECK(s.platform.sent()[1].parent == storage::SentMessage{"C1", s.platform.sent()[0].outcome.sent.ref});
  }
  SECTION("failed") {
    s.platform.script_send(send_outcome::permanent("msg_too_long"));
    const auto parent = s.post("C1", "summary");
    auto reply = s.message(Delivery::post, "C1", "details");
    reply.thread_of = parent;
    const auto reply_id = s.queue(reply);
    s.start();
    s.until_sent(1);
    REQUIRE(s.h.run_until([&] { return s.state(reply_id) == OutboxState::failed; }));
    s.h.advance(1s);
    s.nothing_more(1);
  }
}

// Regression, "the sender spun on the store while a message waited": a message held back by
// pacing or a rate limit is due, so the store's next_due was "now" and the sender looked again at
// once, two transactions a turn (hundreds in 100 ms), for as long as the wait lasted: up to a
// second per paced message, the whole Retry-After when rate limited.
TEST_CASE("the sender waits out pacing and rate limits without polling the store", "[outbox][regression]") {
  Sender s;
  SECTION("paced") {
    s.post("C1", "first");
    s.post("C1", "second");
  }
  SECTION("rate limited") {
    s.platform.script_send(send_outcome::rate_limited(30s));
    s.post("C1", "limited");
    s.post("C2", "same kind, elsewhere");
  }
  s.start();
  s.until_sent(1);
  const auto before = s.h.storage().submitted();
  s.nothing_more(1);
  s.h.run_for(100ms);
  CHECK(s.h.storage().submitted() - before < 5);  // settling the first, one look at what is due
}

// Regression, found with the one above: a wake that came while the sender was reading the outbox
// was lost (nobody was waiting for it yet). Looking again at once whenever anything was due hid
// that; without it, a message queued at that moment waited for another destination's pacing.
TEST_CASE("a message queued while the sender reads the outbox does not wait for another destination",
          "[outbox][regression]") {
  Sender s;
  s.post("C1", "first");
  s.post("C1", "second");  // a second behind the first
  s.start();
  s.until_sent(1);
  s.nothing_more(1);

  // The sender looks again; its read of the outbox is held back until a message for C2 is
  // queued just after that read, and C2's wake comes before the sender is waiting again.
  s.h.storage().hold();
  const auto before = s.h.storage().submitted();
  s.sender->wake();
  REQUIRE(s.h.run_until([&] { return s.h.storage().submitted() > before; }));
  s.h.storage().recover();
  s.post("C2", "just queued");
  s.sender->wake();

  REQUIRE(s.h.run_until([&] { return s.platform.sent().size() == 2; }, 300ms));
  CHECK(s.text(1) == "just queued");
}
