// Hostile and broken input through the whole Teams adapter: activities signed as the Bot
// Framework signs them, posted to the bot's /api/messages, and the connector's replies, from the
// fake Bot Framework over loopback TLS. (Deep activities are in teams_format/activity_test.cpp.)
#include <algorithm>
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "fake_teams.hpp"
#include "teams_harness.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

constexpr const char* general = "19:general@thread.tacv2";

}  // namespace

TEST_CASE("an activity with huge, negative and fractional numbers, and numbers where text goes, is survived",
          "[teams][security][numbers]") {
  Teams t;
  BotHarness bot(t.config);
  auto odd = channel_mention(t.teams, "status ENG-1 on track", general);
  odd["timestamp"] = 1e300;
  odd["localTimestamp"] = -1;
  odd["localTimezone"] = 3e9;
  odd["replyToId"] = 18446744073709551615ULL;
  odd["channelData"]["legacy"] = 1e10;
  odd["entities"].push_back({{"type", "clientInfo"}, {"timezone", 1e300}, {"locale", -2.5}});
  odd["value"] = {{"n", 1e300}, {"m", -9223372036854775807LL - 1}};
  const auto answered = t.post(bot, odd);
  CHECK((answered == 200 || answered == 400));

  auto numbers_for_text = channel_mention(t.teams, "status ENG-2 on track", general);
  numbers_for_text["text"] = 1e10;
  numbers_for_text["from"]["id"] = 3e9;
  numbers_for_text["conversation"]["id"] = -1;
  const auto refused = t.post(bot, numbers_for_text);
  CHECK((refused == 200 || refused == 400));

  // Still serving, and the ordinary activity after them is stored.
  CHECK(t.post(bot, channel_mention(t.teams, "status ENG-3 done", general)) == 200);
  const auto updates = bot.updates();
  CHECK(std::any_of(updates.begin(), updates.end(),
                    [](const Update& u) { return u.parsed.tickets == std::vector<std::string>{"ENG-3"}; }));
}

TEST_CASE("an activity text of 10,000 characters is stored whole, in any script", "[teams][security]") {
  Teams t;
  BotHarness bot(t.config);
  const char* const characters[] = {"x", "\xC3\xA9", "\xE6\x97\xA5", "\xF0\x9F\x98\x80"};  // 1 to 4 bytes
  std::size_t stored = 0;
  for (const char* character : characters) {
    INFO(character);
    std::string long_text;
    for (int i = 0; i < 10'000; ++i) long_text += character;
    const auto key = "ENG-" + std::to_string(++stored);
    CHECK(t.post(bot, channel_mention(t.teams, "status " + key + " on track " + long_text, general)) == 200);
    const auto updates = bot.updates();
    REQUIRE(updates.size() == stored);
    const auto it =
        std::find_if(updates.begin(), updates.end(), [&](const Update& u) { return u.parsed.tickets.at(0) == key; });
    REQUIRE(it != updates.end());
    CHECK(it->parsed.text.find(long_text) != std::string::npos);
  }
}

TEST_CASE("a connector reply whose id is a number does not stop the outbox", "[teams][security][outbox]") {
  Teams t;
  BotHarness bot(t.config);
  // value("id", "") threw on a number: the sender reading its own post's reply stopped for good.
  t.teams.reply_next(FakeTeams::send_route, Reply{200, {}, R"({"id":12345})"});
  CHECK(t.post(bot, channel_mention(t.teams, "status ENG-1 on track", general)) == 200);
  CHECK(t.post(bot, channel_mention(t.teams, "status ENG-2 done", general)) == 200);
  REQUIRE(eventually([&] { return t.teams.count(FakeTeams::send_route) >= 2; }, 10s));
  CHECK(t.teams.calls(FakeTeams::send_route).at(1).body.dump().find("ENG-2") != std::string::npos);
}
