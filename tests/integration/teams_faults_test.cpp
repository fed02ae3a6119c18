// Faults of the Bot Connector and of Microsoft's token endpoint as the Teams outbox meets them
// (the echo of a status written to the bot): for each, the message goes out within a stated bound
// once the fault clears, the sender backs off (1, 2, 4 … s) or honours Retry-After instead of
// hammering Microsoft, retries only what Teams says to retry (412, 429, 502, 503, 504), and
// posts a message at most once more when an answer came too late.
#include <catch2/catch.hpp>

#include "teams_harness.hpp"
#include "microalign/storage/store.hpp"

using namespace microalign;
using namespace microalign::test;
using std::chrono::steady_clock;

namespace {

constexpr const char* channel = "19:faults@thread.tacv2";

struct Faults : Teams {
  Faults() { config.teams.api_timeout = 500ms; }

  // A status written to the bot: its echo is the message the outbox sends.
  void write_status(BotHarness& bot, std::string_view text) {
    REQUIRE(post(bot, channel_mention(teams, text, channel)) == 200);
  }
  static bool echoed(BotHarness& bot) {
    const auto updates = bot.updates();
    return !updates.empty() && !updates.at(0).echo_ref.empty();
  }
};

}  // namespace

TEST_CASE(
    "teams fault: 503 from the connector for 2.5 s is retried with backoff, and the echo is sent within 2 s "
    "once it clears",
    "[teams][faults]") {
  Faults f;
  f.teams.on(FakeTeams::send_route, [](const TeamsCall&) { return connector_error(503, "ServiceUnavailable"); });
  BotHarness bot(f.config);
  f.write_status(bot, "heads-up staging is down until noon");
  REQUIRE(f.teams.wait_for_call(FakeTeams::send_route, 3s));
  std::this_thread::sleep_for(2500ms);
  // Tried at 0 s and 1 s; the next try is due at 3 s. A storm would be hundreds.
  CHECK(f.teams.count(FakeTeams::send_route) == 2);

  f.teams.clear_handler(FakeTeams::send_route);
  const auto cleared = steady_clock::now();
  REQUIRE(eventually([&] { return Faults::echoed(bot); }, 3s));
  CHECK(steady_clock::now() - cleared < 2s);
  CHECK(f.teams.count(FakeTeams::send_route) == 3);
}

TEST_CASE("teams fault: 500 from the connector is not retried, as Teams asks, and other conversations go on",
          "[teams][faults]") {
  Faults f;
  f.teams.reply_next(FakeTeams::send_route, connector_error(500, "ServiceError"));
  BotHarness bot(f.config);
  f.write_status(bot, "heads-up first");
  REQUIRE(f.teams.wait_for_call(FakeTeams::send_route, 3s));
  REQUIRE(f.post(bot, personal_message(f.teams, "away 3d")) == 200);
  // The 1:1 chat's answer is not held up by the failed echo.
  CHECK(f.teams.wait_for_call(FakeTeams::send_route, 3s, 2));
  std::this_thread::sleep_for(1500ms);  // past the first backoff: the echo is not tried again
  CHECK(f.teams.count(FakeTeams::send_route) == 2);
  CHECK_FALSE(Faults::echoed(bot));
}

TEST_CASE("teams fault: a connector answer slower than the deadline is retried, and the echo posted at most once more",
          "[teams][faults]") {
  Faults f;  // api_timeout 500 ms
  Reply slow = Reply::json({{"id", "1:late"}});
  slow.delay = 1500ms;
  f.teams.reply_next(FakeTeams::send_route, slow);
  BotHarness bot(f.config);
  f.write_status(bot, "heads-up slow connector");
  // The deadline (500 ms), one backoff (1 s), the second try.
  REQUIRE(eventually([&] { return Faults::echoed(bot); }, 4s));
  std::this_thread::sleep_for(1500ms);
  CHECK(f.teams.count(FakeTeams::send_route) == 2);
}

TEST_CASE(
    "teams fault: the token endpoint failing for 2.5 s delays the echo, which is sent within 2 s once it "
    "answers",
    "[teams][faults]") {
  Faults f;
  f.teams.on(FakeTeams::token_route,
             [](const TeamsCall&) { return oauth_error(503, "temporarily_unavailable", "AADSTS90033"); });
  BotHarness bot(f.config);  // signing in finds no token: transient, so the bot starts anyway
  f.write_status(bot, "heads-up login trouble");
  std::this_thread::sleep_for(2500ms);
  // Signing in, then the echo's tries at 0 s and 1 s: one token request each. No connector call
  // goes without a token.
  CHECK(f.teams.count(FakeTeams::token_route) <= 3);
  CHECK(f.teams.count(FakeTeams::send_route) == 0);

  f.teams.clear_handler(FakeTeams::token_route);
  const auto cleared = steady_clock::now();
  REQUIRE(eventually([&] { return Faults::echoed(bot); }, 3s));
  CHECK(steady_clock::now() - cleared < 2s);
  CHECK(f.teams.count(FakeTeams::send_route) == 1);
}

TEST_CASE("teams fault: a token endpoint that does not answer is timed out, and the echo sent on a later try",
          "[teams][faults]") {
  Faults f;
  Reply never = oauth_error(503, "too_late");
  never.delay = 5s;  // far beyond the bot's 500 ms deadline
  BotHarness bot(f.config);
  REQUIRE(eventually([&] { return f.teams.count(FakeTeams::token_route) >= 1; }));  // signed in
  f.teams.invalidate_tokens();                                                      // the echo needs a new token
  f.teams.reply_next(FakeTeams::token_route, never);
  f.write_status(bot, "heads-up silent login");
  // A 401 with the old token, then a token request that times out (500 ms), a backoff, a new
  // token and the send.
  REQUIRE(eventually([&] { return Faults::echoed(bot); }, 6s));
  CHECK(f.teams.count(FakeTeams::token_route) == 3);
}
