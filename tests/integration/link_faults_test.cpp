// Faults of the Socket Mode link, against the fake Slack: for each, the link recovers within a
// stated bound once the fault clears, backs off instead of storming Slack while it lasts, and no
// envelope sent to a usable socket goes unanswered.
//
// The bounds follow from the test configuration (bot_harness.hpp): dead_link_after 2 s (30 s in
// production), backoff from 1 s doubling to a cap of 2 s (60 s in production), full jitter. A
// "storm" would be hundreds of attempts a second; the bounds on attempts below are what the
// backoff allows with room for an unlucky draw of the jitter.
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "redelivery.hpp"

using namespace microalign;
using namespace microalign::test;
using std::chrono::steady_clock;

namespace {

struct Link {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");

  Link() { pki.trust(); }

  // A slash command to socket `id` (or the newest open one), acknowledged within Slack's 3 s.
  bool answered(const std::string& envelope_id, std::optional<int> id = {}) {
    const auto sent_on = slack.send_envelope(
        slash_command(envelope_id, "/heads-up", "sent as " + envelope_id, "U1", "C1", slack.response_url(envelope_id)),
        id);
    return sent_on && slack.wait_for_ack(envelope_id, 3s).has_value();
  }
  std::size_t opens() const { return slack.calls("apps.connections.open").size(); }
};

Reply server_error() { return Reply{500, {}, "upstream trouble", 0ms}; }

}  // namespace

TEST_CASE("link fault: a socket closed abruptly is replaced once, within 3 s, and its twin serves meanwhile",
          "[link][faults]") {
  Link l;
  BotHarness bot(l.config);
  REQUIRE(l.slack.wait_for_connections(2, 5s));
  const auto sockets = l.slack.open_sockets();

  l.slack.drop(sockets[0]);
  const auto dropped = steady_clock::now();
  CHECK(l.answered("env-during", sockets[1]));
  // A died socket waits one backoff (at most 1 s: the first), then opens its replacement.
  REQUIRE(
      eventually([&] { return l.slack.socket_connections_opened() == 3 && l.slack.open_sockets().size() == 2; }, 3s));
  CHECK(steady_clock::now() - dropped < 3s);
  std::this_thread::sleep_for(1s);
  CHECK(l.slack.socket_connections_opened() == 3);  // one replacement, no more
  CHECK(l.opens() == 3);
  CHECK(l.answered("env-after"));
  CHECK(bot.updates().size() == 2);
}

TEST_CASE("link fault: a silent (half-open) socket is dropped at the dead-link deadline and replaced within 4 s",
          "[link][faults]") {
  Link l;
  BotHarness bot(l.config);
  REQUIRE(l.slack.wait_for_connections(2, 5s));
  const auto sockets = l.slack.open_sockets();

  l.slack.go_silent(sockets[0]);
  const auto silenced = steady_clock::now();
  CHECK(l.answered("env-during", sockets[1]));
  // Pinged at 1 s, dropped at 2 s (dead_link_after), replaced after one backoff (≤ 1 s).
  REQUIRE(eventually([&] { return l.slack.socket_connections_opened() == 3; }, 5s));
  const auto replaced_after = steady_clock::now() - silenced;
  CHECK(replaced_after >= 2s);  // not before the deadline: a quiet link is not a dead one
  CHECK(replaced_after < 4s);
  std::this_thread::sleep_for(1s);
  CHECK(l.slack.socket_connections_opened() == 3);  // one replacement, no more
  CHECK(l.answered("env-after", 3));
}

TEST_CASE("link fault: a hello delayed within the deadline is waited for, and the socket serves", "[link][faults]") {
  Link l;
  l.config.slack.connections = 1;
  l.slack.set_hello_delay(1200ms);  // the deadline is dead_link_after, 2 s
  BotHarness bot(l.config);
  REQUIRE(l.slack.wait_for_connections(1, 5s));
  std::this_thread::sleep_for(2500ms);  // past the deadline counted from the connection
  CHECK(l.slack.socket_connections_opened() == 1);
  CHECK(l.slack.socket(1).open);
  CHECK(l.answered("env-1", 1));
}

TEST_CASE(
    "link fault: a hello delayed beyond the deadline drops the socket, retries with backoff, and recovers "
    "within 5 s of the delay ending",
    "[link][faults]") {
  Link l;
  l.config.slack.connections = 1;
  l.slack.set_hello_delay(3s);  // beyond the 2 s deadline: every socket is given up on
  BotHarness bot(l.config);
  REQUIRE(l.slack.wait_for_connections(1, 5s));
  std::this_thread::sleep_for(5s);
  // Each attempt waits 2 s for hello, then up to 2 s of backoff: at most three in 5 s.
  const auto during = l.slack.socket_connections_opened();
  CHECK(during >= 2);
  CHECK(during <= 3);
  CHECK(l.slack.open_sockets().size() <= 1);  // given up on, not left open

  const auto before = static_cast<int>(l.slack.socket_connections_opened());
  l.slack.set_hello_delay(0ms);
  const auto cleared = steady_clock::now();
  // The attempt under way may still be a slow one: its 2 s deadline, a backoff (≤ 2 s), a connection.
  REQUIRE(eventually([&] { return static_cast<int>(l.slack.socket_connections_opened()) > before; }, 6s));
  CHECK(steady_clock::now() - cleared < 5s);
  CHECK(l.answered("env-1", before + 1));  // greeted at once, so it serves
}

TEST_CASE("link fault: ten refresh requests at once open one replacement, and every envelope is answered",
          "[link][faults]") {
  Link l;
  BotHarness bot(l.config);
  REQUIRE(l.slack.wait_for_connections(2, 5s));
  const auto sockets = l.slack.open_sockets();

  // Slack may go on delivering on the socket it asked to go, until that one is closed, and
  // delivers on the other one as usual.
  Redelivery old_socket(l.slack);
  for (int i = 0; i < 10; ++i) {
    const auto n = std::to_string(i);
    l.slack.disconnect(sockets[0], "refresh_requested", 5s);
    old_socket.send(slash_command("old-" + n, "/heads-up", "old " + n, "U1", "C1", l.slack.response_url("o" + n)),
                    sockets[0]);
    l.slack.send_envelope(
        slash_command("twin-" + n, "/heads-up", "twin " + n, "U1", "C1", l.slack.response_url("t" + n)), sockets[1]);
  }
  for (int i = 0; i < 10; ++i) CHECK(l.slack.wait_for_ack("twin-" + std::to_string(i), 3s));
  // Closed by the bot once its replacement said hello, well before the fake's 5 s of grace.
  REQUIRE(l.slack.wait_for_closed(sockets[0], 3s));
  CHECK(l.slack.socket(sockets[0]).client_close == 1000);
  // What the old socket took it answered before closing. One still on its way when the close
  // began (a moment's race, wider on a loaded machine) is not taken, and Slack delivers it again
  // on an open socket, as it does every envelope left unacknowledged.
  const auto again = old_socket.redeliver(l.slack.open_sockets());
  INFO(again << " envelope(s) delivered again");
  for (int i = 0; i < 10; ++i) CHECK(l.slack.wait_for_ack("old-" + std::to_string(i), 3s));
  std::this_thread::sleep_for(500ms);
  CHECK(l.slack.socket_connections_opened() == 3);
  CHECK(l.opens() == 3);
  CHECK(l.answered("env-after"));
  CHECK(eventually([&] { return bot.updates().size() == 21; }));
}

TEST_CASE(
    "link fault: apps.connections.open failing with 500 is retried with backoff, and connects within 3 s "
    "once it answers again",
    "[link][faults]") {
  Link l;
  l.config.slack.connections = 1;
  l.slack.on("apps.connections.open", [](const ApiCall&) { return server_error(); });
  BotHarness bot(l.config);
  std::this_thread::sleep_for(3s);
  // Waits of up to 1, 2, 2 … s: about four calls in 3 s. A storm would be hundreds.
  const auto during = l.opens();
  CHECK(during >= 2);
  CHECK(during <= 8);
  CHECK(l.slack.socket_connections_opened() == 0);

  l.slack.clear_handler("apps.connections.open");
  const auto cleared = steady_clock::now();
  REQUIRE(l.slack.wait_for_connections(1, 4s));
  CHECK(steady_clock::now() - cleared < 3s);  // the backoff under way (≤ 2 s), then one call
  CHECK(l.answered("env-1"));
}

TEST_CASE("link fault: apps.connections.open that does not answer is timed out and retried", "[link][faults]") {
  Link l;
  l.config.slack.connections = 1;
  l.config.slack.api_timeout = 500ms;
  Reply never = Reply::json({{"ok", false}, {"error", "too_late"}});
  never.delay = 5s;  // far beyond the bot's deadline
  l.slack.reply_next("apps.connections.open", never);
  l.slack.reply_next("apps.connections.open", never);
  const auto started = steady_clock::now();
  BotHarness bot(l.config);
  // Two calls of 500 ms each, two backoffs (≤ 1 s, ≤ 2 s), then the call that answers.
  REQUIRE(l.slack.wait_for_connections(1, 6s));
  CHECK(steady_clock::now() - started < 5s);
  CHECK(l.opens() == 3);
  CHECK(l.answered("env-1"));
}

TEST_CASE("link fault: apps.connections.open answering ok:false", "[link][faults]") {
  Link l;
  l.config.slack.connections = 1;
  SECTION("a transient error is retried after a backoff") {
    l.slack.reply_next("apps.connections.open", Reply::error("internal_error"));
    BotHarness bot(l.config);
    REQUIRE(l.slack.wait_for_connections(1, 3s));
    CHECK(l.opens() == 2);
  }
  SECTION("a token Slack rejects is not retried: the link stops, naming the token") {
    l.slack.reply_next("apps.connections.open", Reply::error("invalid_auth"));
    BotHarness bot(l.config);
    const auto fatal = bot.wait_for_exit(3s);
    REQUIRE(fatal);
    CHECK(fatal->starts_with("SLACK_APP_TOKEN was rejected by Slack (invalid_auth)"));
    CHECK(l.opens() == 1);
  }
}

TEST_CASE("link fault: apps.connections.open rate limited is retried no sooner than Retry-After, once",
          "[link][faults]") {
  Link l;
  l.config.slack.connections = 1;
  l.slack.reply_next("apps.connections.open", Reply::rate_limited(2s));
  const auto started = steady_clock::now();
  BotHarness bot(l.config);
  REQUIRE(l.slack.wait_for_connections(1, 5s));
  const auto connected_after = steady_clock::now() - started;
  CHECK(connected_after >= 2s);
  CHECK(connected_after < 4s);
  CHECK(l.opens() == 2);
}
