// The `/microalign` commands that steer nudges, end to end: each answer (private to whoever
// asked) and what it changed in the store. The bot's clock starts on Tuesday 1 December 2026 at
// 14:20 UTC (15:20 in Berlin, the zone the fake Slack gives everyone).
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/people.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

using std::chrono::year_month_day;

year_month_day december(unsigned day) {
  return std::chrono::year{2026} / std::chrono::December / std::chrono::day{day};
}

const SysTime start = SysTime{std::chrono::sys_days{december(1)}} + 14h + 20min;

struct NudgeScenario {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");
  int envelopes = 0;

  NudgeScenario() { pki.trust(); }

  // Sends a slash command as U111 and returns its ack's payload, which must be private.
  nlohmann::json answer(const std::string& name, const std::string& text, const std::string& channel = "C111") {
    const auto id = "env-" + std::to_string(++envelopes);
    slack.send_envelope(slash_command(id, name, text, "U111", channel, slack.response_url(id)));
    auto ack = slack.wait_for_ack(id, 3s);
    REQUIRE(ack);
    CHECK((*ack)["payload"]["response_type"] == "ephemeral");
    return (*ack)["payload"];
  }

  std::string command(const std::string& name, const std::string& text, const std::string& channel = "C111") {
    return answer(name, text, channel).value("text", std::string{});
  }

  // Stores a status before the bot starts, as if posted at `at`.
  void seed_status(const std::string& ticket, SysTime at, const std::string& user, const std::string& name) {
    auto store = storage::SqliteStore::open(config.db_path);
    Update u;
    u.created_at = at;
    u.where = {"T111", "C111", {}};
    u.user = user;
    u.parsed.kind = UpdateKind::status;
    u.parsed.state = TicketState::on_track;
    u.parsed.tickets = {ticket};
    u.parsed.text = ticket + " on track";
    store->begin();
    store->insert_update(u);
    store->remember_name("T111", user, name, at);
    store->commit();
  }
};

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

OwnerProfile profile(const BotHarness& bot, const std::string& user = "U111") {
  return bot.reader()->owner_profiles("T111", {user}).at(user);
}

}  // namespace

TEST_CASE("away, back and nudges on/off pause a person's nudges and say until when", "[nudge_commands][app]") {
  NudgeScenario s;
  BotHarness bot(s.config, clock_starting_at(start));
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  CHECK(has(s.command("/microalign", "away 3d"),
            "Nudges paused until you're back: you're away through Thu 3 Dec, and nudges start again on Fri 4 Dec."));
  CHECK(profile(bot).away_until == december(3));
  CHECK(profile(bot).time_zone == "Europe/Berlin");  // remembered from Slack for their nudges

  CHECK(has(s.command("/microalign", "away until 2026-11-30"),
            "Mon 30 Nov has already passed where you are (today is Tue 1 Dec)."));
  CHECK(profile(bot).away_until == december(3));  // unchanged

  CHECK(has(s.command("/microalign", "away until 2026-12-04"), "through Fri 4 Dec, and nudges start again on Mon 7 Dec"));
  CHECK(profile(bot).away_until == december(4));

  CHECK(s.command("/microalign", "back") ==
        "Welcome back! You're no longer marked away. Nudges about your quiet tickets are on.");
  CHECK_FALSE(profile(bot).away_until);

  CHECK(has(s.command("/microalign", "nudges off"), "Nudges to you are off"));
  CHECK(profile(bot).nudges_off);
  CHECK(has(s.command("/microalign", "nudges on"), "Nudges to you are on"));
  CHECK_FALSE(profile(bot).nudges_off);
}

TEST_CASE("holiday marks non-working days for this channel only", "[nudge_commands][app]") {
  NudgeScenario s;
  BotHarness bot(s.config, clock_starting_at(start));
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  CHECK(has(s.command("/microalign", "holiday 2026-12-24 2026-12-26"),
            "Thu 24 Dec to Sat 26 Dec (3 days) are now holidays in this channel"));
  CHECK(bot.reader()->channel_holidays("T111", "C111") == Holidays{december(24), december(25), december(26)});
  CHECK(bot.reader()->channel_holidays("T111", "C222").empty());
}

TEST_CASE("snooze and owner act on a ticket someone named, and say what they did", "[nudge_commands][app]") {
  NudgeScenario s;
  BotHarness bot(s.config, clock_starting_at(start));
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const auto unknown =
      "I don't know ENG-42 in this workspace yet — it appears once someone posts an update naming it.";
  CHECK(s.command("/microalign", "snooze ENG-42 3d") == unknown);
  CHECK(s.command("/microalign", "owner ENG-42 <@U222|bob>") == unknown);

  s.command("/status", "ENG-42 on track");
  const auto snoozed = s.command("/microalign", "snooze ENG-42 3d");
  CHECK(has(snoozed, "Snoozed ENG-42: no nudges about it for 3 days, until Fri 4 Dec, 15:2"));
  CHECK(has(snoozed, "your time (Europe/Berlin)."));
  const auto candidates = bot.reader()->nudge_candidates(start + std::chrono::days(30));
  REQUIRE(candidates.size() == 1);
  REQUIRE(candidates[0].snoozed_until);
  CHECK(*candidates[0].snoozed_until - (start + std::chrono::days(3)) < 1min);

  const auto owner = s.answer("/microalign", "owner ENG-42 <@U222|bob>");
  CHECK(owner["text"] == "Done: @user-U222 now owns ENG-42: nudges about it go to them when it goes quiet.");
  CHECK_FALSE(has(owner.dump(), "<@U222>"));  // named, not pinged
  const auto tickets = bot.reader()->open_tickets("T111", "C111");
  REQUIRE(tickets.size() == 1);
  CHECK(tickets[0].owner == "U222");
}

TEST_CASE("done records a done status, echoed to the channel, for a ticket someone named", "[nudge_commands][app]") {
  NudgeScenario s;
  BotHarness bot(s.config, clock_starting_at(start));
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  CHECK(s.command("/microalign", "done ENG-9") ==
        "I don't know ENG-9 in this workspace yet — it appears once someone posts an update naming it.");
  CHECK(bot.updates().empty());  // nothing stored, nothing echoed

  s.command("/status", "ENG-9 on track");
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 1; }, 5s));
  CHECK(s.command("/microalign", "done ENG-9").starts_with("Saved: status · done · ENG-9"));
  const auto updates = bot.updates();
  REQUIRE(updates.size() == 2);
  CHECK(updates[1].user == "U111");
  CHECK(updates[1].where.channel == "C111");
  CHECK(updates[1].parsed.kind == UpdateKind::status);
  CHECK(updates[1].parsed.state == TicketState::done);
  CHECK(updates[1].parsed.tickets == std::vector<std::string>{"ENG-9"});
  CHECK(bot.reader()->open_tickets("T111", "C111").empty());

  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 2; }, 5s));
  const auto echo = s.slack.posted_messages().at(1);
  CHECK(echo["channel"] == "C111");
  CHECK(has(echo.dump(), "ENG-9 done"));
  CHECK(has(echo.dump(), "from @user-U111"));
}

TEST_CASE("done where the bot cannot post is echoed through the command's response", "[nudge_commands][app]") {
  NudgeScenario s;
  s.seed_status("ENG-9", start - 1h, "U111", "alice");
  s.slack.reply_next("chat.postMessage", Reply::error("not_in_channel"));
  BotHarness bot(s.config, clock_starting_at(start));
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  CHECK(s.command("/microalign", "done ENG-9").starts_with("Saved: status · done · ENG-9"));
  auto in_channel = s.slack.wait_for_call(FakeSlack::response_url_method, 3s, 1);
  REQUIRE(in_channel);
  CHECK(in_channel->target == "/response/env-1");
  CHECK(in_channel->params["response_type"] == "in_channel");
  CHECK(has(in_channel->params.dump(), "ENG-9 done"));
}

TEST_CASE("tickets lists the channel's open tickets with their age, snooze and owner, never pinging", "[nudge_commands][app]") {
  NudgeScenario s;
  s.seed_status("ENG-1", SysTime{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}} + 10h, "U111", "alice");
  BotHarness bot(s.config, clock_starting_at(start));
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.command("/status", "ENG-2 blocked on the staging database");

  const auto listed = s.answer("/microalign", "tickets");
  CHECK(listed["text"] == "2 open tickets in this channel");
  const auto shown = listed.dump();
  CHECK(has(shown, "ENG-1* · 🟢 on track · quiet 6 working days · owner @user-U111"));  // named as their /status gave it
  CHECK(has(shown, "ENG-2* · 🔴 blocked on the staging database · updated just now · owner @user-U111"));
  CHECK_FALSE(has(shown, "<@"));

  // Away, the owner's quiet tickets wait for them rather than count as forgotten.
  s.command("/microalign", "away 3d");
  CHECK(has(s.answer("/microalign", "tickets").dump(), "ENG-1* · 🟢 on track · updated 8 days ago · owner away through Thu 3 Dec"));

  // A snooze says until when (the asker's calendar: Berlin, remembered by `away`); an owner who
  // turned nudges off is shown so.
  s.command("/microalign", "snooze ENG-2 3d");
  s.command("/microalign", "nudges off");
  CHECK(has(s.answer("/microalign", "tickets").dump(),
            "ENG-2* · 🔴 blocked on the staging database · updated just now · 💤 snoozed until Fri 4 Dec"
            " · owner @user-U111 (nudges off)"));

  CHECK(s.command("/microalign", "tickets", "C999").starts_with("No open tickets in this channel."));
}
