// Nudge DMs end to end: the bot learns the owner's time zone (users.info), opens the DM
// (conversations.open) and posts one message with the buttons, records it, and sends no second
// one; outside the owner's working hours it sends nothing.
#include <catch2/catch.hpp>
#include <date/tz.h>

#include "bot_harness.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/nudges.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

constexpr const char* new_york = "America/New_York";  // the owner's zone: not the fake's default

// A wall-clock time in New York on a day of June 2026 (Fri 5, Wed 10).
SysTime new_york_june(unsigned day, std::chrono::hours hour) {
  const date::local_days date{std::chrono::local_days{std::chrono::year{2026} / std::chrono::June /
                                                      std::chrono::day{day}}.time_since_epoch()};
  return date::locate_zone(new_york)->to_sys(date + hour);
}

struct NudgeScenario {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");
  std::int64_t update_id = 0;

  NudgeScenario() {
    pki.trust();
    config.nudge_tick = std::chrono::milliseconds(100);
    slack.on("users.info", [](const ApiCall& call) {
      const auto user = call.params.value("user", std::string{});
      return Reply::json({{"ok", true},
                          {"user", {{"id", user}, {"name", "alice"}, {"tz", new_york},
                                    {"profile", {{"display_name", "Alice"}}}}}});
    });
    // ENG-42, owned by U111, last heard of on Friday 09:00 in New York: by Wednesday 10:00 it
    // has been quiet for three working days.
    auto store = storage::SqliteStore::open(config.db_path);
    Update u;
    u.created_at = new_york_june(5, std::chrono::hours(9));
    u.where = {"T111", "C111", {}};
    u.user = "U111";
    u.parsed.kind = UpdateKind::status;
    u.parsed.state = TicketState::on_track;
    u.parsed.tickets = {"ENG-42"};
    u.parsed.text = "ENG-42 on track";
    store->begin();
    update_id = store->insert_update(u).update_id;
    store->commit();
  }

  std::optional<NudgeCandidate> eng_42(storage::Store& store) const {
    for (auto& c : store.nudge_candidates(new_york_june(30, std::chrono::hours(0)))) {
      if (c.ticket.key == "ENG-42") return c;
    }
    return std::nullopt;
  }
};

}  // namespace

TEST_CASE("a quiet ticket's owner gets one DM with the buttons, in their working hours", "[nudge][app]") {
  NudgeScenario s;
  BotHarness bot(s.config, clock_starting_at(new_york_june(10, std::chrono::hours(10))));

  const auto open = s.slack.wait_for_call("conversations.open", 5s);
  REQUIRE(open);
  CHECK(open->params["users"] == "U111");
  const auto post = s.slack.wait_for_call("chat.postMessage", 5s);
  REQUIRE(post);
  CHECK(post->params["channel"] == "DU111");  // the channel conversations.open gave
  CHECK_FALSE(post->params.contains("microalign_open_dm_with"));  // no control key of ours reaches Slack
  const auto& blocks = post->params["blocks"];
  std::vector<std::string> action_ids;
  for (const auto& block : blocks) {
    if (block["type"] != "actions") continue;
    for (const auto& button : block["elements"]) {
      action_ids.push_back(button["action_id"]);
      CHECK(decode_nudge_button(button["value"].get<std::string>()) == NudgeButtonValue{"C111", "ENG-42", s.update_id});
    }
  }
  CHECK(action_ids == std::vector<std::string>{std::string(nudge_action::on_track), std::string(nudge_action::post_update),
                                               std::string(nudge_action::snooze), std::string(nudge_action::done)});
  CHECK(post->params["text"].get<std::string>().find("ENG-42") != std::string::npos);

  // Recorded: the ticket's quiet period and the owner's DM of the day, with the zone learned.
  REQUIRE(eventually([&] {
    auto c = s.eng_42(*bot.reader());
    return c && c->nudged_for_update_id == s.update_id && c->nudged_at;
  }));
  const auto profile = bot.reader()->owner_profiles("T111", {"U111"}).at("U111");
  CHECK(profile.time_zone == new_york);
  CHECK(profile.last_dm_at.has_value());

  // Several ticks later: still one DM.
  std::this_thread::sleep_for(600ms);
  CHECK(s.slack.calls("chat.postMessage").size() == 1);
  CHECK(s.slack.calls("conversations.open").size() == 1);
  CHECK(s.slack.calls("users.info").size() == 1);
}

TEST_CASE("no nudge outside the owner's working hours, in their own zone", "[nudge][app]") {
  NudgeScenario s;
  // 08:00 in New York is 12:00 UTC: working hours in UTC, not yet for the owner.
  BotHarness bot(s.config, clock_starting_at(new_york_june(10, std::chrono::hours(8))));
  REQUIRE(s.slack.wait_for_call("users.info", 5s));
  REQUIRE(eventually([&] { return bot.reader()->owner_profiles("T111", {"U111"}).at("U111").time_zone == new_york; }));
  std::this_thread::sleep_for(500ms);
  CHECK(s.slack.calls("conversations.open").empty());
  CHECK(s.slack.calls("chat.postMessage").empty());
  CHECK_FALSE(s.eng_42(*bot.reader())->nudged_at.has_value());
}

TEST_CASE("a DM that cannot be opened fails quietly and is not retried", "[nudge][app]") {
  NudgeScenario s;
  s.slack.reply_next("conversations.open", Reply::error("user_disabled"));
  BotHarness bot(s.config, clock_starting_at(new_york_june(10, std::chrono::hours(10))));
  REQUIRE(s.slack.wait_for_call("conversations.open", 5s));
  std::this_thread::sleep_for(500ms);
  CHECK(s.slack.calls("conversations.open").size() == 1);
  CHECK(s.slack.calls("chat.postMessage").empty());  // nobody is told in a channel either
}

TEST_CASE("the DM's own buttons answer it: the owner's status is recorded and the DM rewritten", "[nudge][app]") {
  NudgeScenario s;
  BotHarness bot(s.config, clock_starting_at(new_york_june(10, std::chrono::hours(10))));
  REQUIRE(s.slack.wait_for_call("chat.postMessage", 5s));
  REQUIRE(eventually([&] { return !s.slack.posted_messages().empty(); }));
  const auto dm = s.slack.posted_messages().at(0);

  auto click = block_action("env-click", nudge_action::on_track,
                            encode_nudge_button({"C111", "ENG-42", s.update_id}), "U111",
                            dm["channel"].get<std::string>(), dm["ts"].get<std::string>(), s.slack.response_url("c1"));
  click["payload"]["message"]["blocks"] = dm["blocks"];
  s.slack.send_envelope(click);
  REQUIRE(s.slack.wait_for_ack("env-click", 3s));

  const auto updates = bot.updates();
  REQUIRE(updates.size() == 2);
  CHECK(updates.back().parsed.state == TicketState::on_track);
  CHECK(updates.back().user == "U111");
  const auto rewrite = s.slack.wait_for_call("chat.update", 3s);
  REQUIRE(rewrite);
  CHECK(rewrite->params["channel"] == dm["channel"]);
  CHECK(rewrite->params["ts"] == dm["ts"]);
  CHECK(rewrite->params["blocks"].dump().find("\"actions\"") == std::string::npos);
  CHECK(rewrite->params["blocks"].dump().find("still on track") != std::string::npos);
  // The echo goes to the ticket's channel; the new status starts a new quiet period: no new DM.
  REQUIRE(eventually([&] { return s.slack.calls("chat.postMessage").size() == 2; }));
  CHECK(s.slack.calls("chat.postMessage").back().params["channel"] == "C111");
  std::this_thread::sleep_for(400ms);
  CHECK(s.slack.calls("chat.postMessage").size() == 2);
}
