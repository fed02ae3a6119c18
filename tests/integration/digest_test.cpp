// Channel digests end to end: `/microalign` settings, digests on demand and on schedule (posted
// through the outbox), missed digests, and assumptions answered by reactions and replies.
#include <catch2/catch.hpp>
#include <date/tz.h>

#include "bot_harness.hpp"
#include "microalign/app/digests.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/channels.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/nudges.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

struct DigestScenario {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");
  int envelopes = 0;

  DigestScenario() { pki.trust(); }

  // Sends a slash command and returns the text of its (ephemeral) answer.
  std::string command(const std::string& name, const std::string& text, const std::string& channel = "C111") {
    const auto id = "env-" + std::to_string(++envelopes);
    slack.send_envelope(slash_command(id, name, text, "U111", channel, slack.response_url(id)));
    auto ack = slack.wait_for_ack(id, 3s);
    REQUIRE(ack);
    return (*ack)["payload"].value("text", std::string{});
  }

  nlohmann::json event_envelope(const nlohmann::json& event) {
    const auto n = std::to_string(++envelopes);
    return {{"envelope_id", "env-" + n},
            {"type", "events_api"},
            {"accepts_response_payload", false},
            {"retry_attempt", 0},
            {"retry_reason", ""},
            {"payload",
             {{"team_id", "T111"}, {"api_app_id", "A111"}, {"type", "event_callback"}, {"event_id", "Ev" + n},
              {"event_time", 1700000000}, {"event", event}}}};
  }

  std::vector<nlohmann::json> digests() const {
    std::vector<nlohmann::json> found;
    for (const auto& m : slack.posted_messages()) {
      if (m.value("text", std::string{}).find("Digest") != std::string::npos) found.push_back(m);
    }
    return found;
  }
};

// "HH:MM" in Berlin, `ago` before now: a daily schedule whose latest slot was that long ago.
std::string berlin_time_ago(std::chrono::minutes ago) {
  const auto local = date::make_zoned("Europe/Berlin", std::chrono::system_clock::now() - ago).get_local_time();
  return date::format("%H:%M", std::chrono::floor<std::chrono::minutes>(local));
}

}  // namespace

TEST_CASE("/microalign sets a channel's digest in the configurer's time zone", "[digest][app]") {
  DigestScenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  CHECK(s.command("/microalign", "digest weekly mon 09:00").find("weekly mon 09:00 (Europe/Berlin)") != std::string::npos);
  CHECK(s.command("/microalign", "quiet 2d").find("2 working days") != std::string::npos);
  CHECK(s.command("/microalign", "tz America/New_York").find("America/New_York") != std::string::npos);
  CHECK(s.command("/microalign", "settings").find("weekly mon 09:00 (America/New_York)") != std::string::npos);
  CHECK(s.command("/microalign", "digest daily 25:00").find("09:30") != std::string::npos);  // shows the right form
  CHECK(s.command("/microalign", "tz Mars/Olympus").find("Mars/Olympus") != std::string::npos);
  CHECK(s.command("/microalign", "snooze ENG-42 3d").find("I don't know ENG-42") != std::string::npos);

  auto settings = bot.reader()->channel_settings("T111", "C111");
  REQUIRE(settings);
  CHECK(settings->schedule.cadence == DigestSchedule::Cadence::weekly);
  CHECK(settings->time_zone == "America/New_York");
  CHECK(settings->quiet_days == 2);
  CHECK(settings->configured_by == "U111");
}

TEST_CASE("/microalign digest now posts a digest of this channel only, naming without pinging", "[digest][app]") {
  DigestScenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.command("/status", "ENG-42 blocked on OPS-7 review <!channel>");
  s.command("/heads-up", "assumption: ENG-7 data refreshes hourly");
  s.command("/status", "SECRET-1 on track", "C999");  // another channel: never in this digest
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 3; }, 5s));

  CHECK(s.command("/microalign", "digest now") == "Posting the digest now.");
  REQUIRE(eventually([&] { return s.digests().size() == 1; }, 5s));
  const auto digest = s.digests().at(0).dump();
  CHECK(s.digests().at(0)["channel"] == "C111");
  CHECK(digest.find("ENG-42") != std::string::npos);
  CHECK(digest.find("ENG-7") != std::string::npos);
  CHECK(digest.find("SECRET-1") == std::string::npos);
  CHECK(digest.find("<@") == std::string::npos);  // people are named, not pinged
  CHECK(digest.find("<!") == std::string::npos);

  // Nothing new since: the next request says so and posts nothing.
  CHECK(s.command("/microalign", "digest now").find("Nothing new") != std::string::npos);
}

TEST_CASE("a digest missed by less than six hours is posted at start, and by more, skipped", "[digest][app]") {
  DigestScenario s;
  const bool recent = GENERATE(true, false);
  {
    auto store = storage::SqliteStore::open(s.config.db_path);
    storage::ChannelSettings settings;
    settings.team = "T111";
    settings.channel = "C111";
    settings.time_zone = "Europe/Berlin";
    settings.schedule.cadence = DigestSchedule::Cadence::daily;
    const auto hhmm = berlin_time_ago(recent ? std::chrono::hours(1) : std::chrono::hours(7));
    settings.schedule.time_of_day = std::chrono::hours(std::stoi(hhmm.substr(0, 2))) + std::chrono::minutes(std::stoi(hhmm.substr(3)));
    store->begin();
    store->save_channel_settings(settings);
    Update u;
    u.created_at = app::system_clock()() - std::chrono::minutes(30);
    u.where = {"T111", "C111", {}};
    u.user = "U111";
    u.parsed.kind = UpdateKind::status;
    u.parsed.state = TicketState::on_track;
    u.parsed.tickets = {"ENG-1"};
    u.parsed.text = "ENG-1 on track";
    store->insert_update(u);
    store->commit();
  }
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  REQUIRE(eventually([&] { return bot.reader()->last_digest_run("T111", "C111").has_value(); }, 5s));
  const auto run = bot.reader()->last_digest_run("T111", "C111");
  CHECK(run->posted == recent);
  if (recent) {
    CHECK(eventually([&] { return s.digests().size() == 1; }, 5s));
  } else {
    std::this_thread::sleep_for(300ms);
    CHECK(s.digests().empty());
  }
}

TEST_CASE("a ✅ or a reply from someone else answers an assumption", "[digest][app]") {
  DigestScenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.command("/heads-up", "assumption: ENG-7 data refreshes hourly");
  s.command("/heads-up", "assuming the API freeze starts Monday");
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 2; }, 5s));
  REQUIRE(eventually([&] { return bot.reader()->open_assumptions("T111", "C111").size() == 2; }));
  const auto first_echo = s.slack.posted_messages().at(0)["ts"].get<std::string>();
  const auto second_echo = s.slack.posted_messages().at(1)["ts"].get<std::string>();

  // The author's own reaction is not an answer; someone else's is.
  s.slack.send_envelope(s.event_envelope({{"type", "reaction_added"}, {"user", "U111"}, {"reaction", "white_check_mark"},
                                          {"item", {{"type", "message"}, {"channel", "C111"}, {"ts", first_echo}}}}));
  s.slack.send_envelope(s.event_envelope({{"type", "reaction_added"}, {"user", "U222"}, {"reaction", "white_check_mark"},
                                          {"item", {{"type", "message"}, {"channel", "C111"}, {"ts", first_echo}}}}));
  s.slack.send_envelope(s.event_envelope({{"type", "message"}, {"user", "U333"}, {"text", "yes, Monday"},
                                          {"channel", "C111"}, {"ts", "1800000000.000100"}, {"thread_ts", second_echo}}));
  REQUIRE(eventually([&] { return bot.reader()->open_assumptions("T111", "C111").empty(); }));
  // The ticket's timeline says who answered, without pinging them.
  s.slack.send_envelope(slash_command("env-timeline", "/microalign", "ticket ENG-7", "U111", "C111",
                                      s.slack.response_url("timeline")));
  const auto ack = s.slack.wait_for_ack("env-timeline", 3s);
  REQUIRE(ack);
  const auto timeline = (*ack)["payload"]["blocks"].dump();
  INFO(timeline);
  CHECK(timeline.find("answered by") != std::string::npos);
  CHECK(timeline.find("<@U222>") == std::string::npos);  // named, never pinged
  CHECK(timeline.find("(open)") == std::string::npos);
}

TEST_CASE("a digest lists quiet tickets of away owners apart and flags those quiet after a reminder",
          "[digest][nudge]") {
  using namespace std::chrono;
  const auto nov = [](unsigned day) {  // `day` Nov 2026, 10:00 UTC; Mon 2, Mon 16, Wed 18, Fri 20
    return time_point_cast<milliseconds>(sys_days{year{2026} / November / day} + hours{10});
  };
  // Every ticket last updated on Mon 2 Nov, but ENG-1 on Tue 3 Nov: listed last, unless flagged.
  TempDir dir;
  auto store = storage::SqliteStore::open((dir.path() / "digest.db").string());
  storage::ChannelSettings settings;
  settings.team = "T1";
  settings.channel = "C1";  // UTC, quiet after 3 working days
  std::map<std::string, std::int64_t> update_of;
  store->begin();
  for (const auto& [key, user] : {std::pair{"ENG-1", "U1"}, {"ENG-2", "U2"}, {"ENG-3", "U3"}, {"ENG-4", "U1"}}) {
    Update u;
    u.created_at = key == std::string("ENG-1") ? nov(3) : nov(2);
    u.where = {"T1", "C1", {}};
    u.user = user;
    u.parsed.kind = UpdateKind::status;
    u.parsed.state = TicketState::on_track;
    u.parsed.tickets = {key};
    u.parsed.text = std::string(key) + " on track";
    update_of[key] = store->insert_update(u).update_id;
  }
  store->set_away("T1", "U2", year{2026} / November / 20);
  store->set_away("T1", "U3", year{2026} / November / 10);          // back already
  store->record_nudge("T1", "ENG-1", update_of["ENG-1"], nov(5));   // long ago
  store->record_nudge("T1", "ENG-3", update_of["ENG-3"], nov(16));  // two days ago
  store->set_owner("T1", "ENG-4", "U4");
  store->commit();

  auto context = app::offline_context("slack");
  context.names["T1"] = {{"U1", "alice"}, {"U2", "bob"}, {"U3", "carol"}, {"U4", "dave"}};
  const auto digest = app::preview_digest(*store, settings, nov(18), context);
  CHECK(digest.counts.quiet == 3);
  CHECK_THAT(to_text(digest),
             Catch::Matchers::Contains(
                 "💤 Gone quiet · no update for 3 working days or more\n"
                 "• ENG-1 · ⏰ quiet after a reminder · 🟢 on track · no update for 15 days · owner @alice\n"
                 "• ENG-3 · 🟢 on track · no update for 16 days · owner @carol\n"
                 "• ENG-4 · 🟢 on track · no update for 16 days · owner @dave\n\n"
                 "🌴 Quiet while the owner is away\n"
                 "• ENG-2 · 🟢 on track · no update for 16 days · owner @bob, back after Fri 20 Nov"));
}

TEST_CASE("a channel's holidays do not count towards quiet in its digest", "[digest][nudge]") {
  using namespace std::chrono;
  const auto nov = [](unsigned day, int hour) {  // Mon 16, Wed 18, Thu 19 Nov 2026, UTC
    return time_point_cast<milliseconds>(sys_days{year{2026} / November / day} + hours{hour});
  };
  TempDir dir;
  auto store = storage::SqliteStore::open((dir.path() / "digest.db").string());
  storage::ChannelSettings settings;
  settings.team = "T1";
  settings.channel = "C1";  // UTC, quiet after 3 working days
  store->begin();
  Update u;
  u.created_at = nov(16, 9);
  u.where = {"T1", "C1", {}};
  u.user = "U1";
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = TicketState::on_track;
  u.parsed.tickets = {"ENG-1"};
  u.parsed.text = "ENG-1 on track";
  store->insert_update(u);
  store->commit();

  // Mon 09:00 to Thu 10:00 is three working days and an hour: quiet…
  CHECK(app::preview_digest(*store, settings, nov(19, 10), {}).counts.quiet == 1);
  // …unless Wednesday is a holiday here.
  store->begin();
  store->add_holidays("T1", "C1", year{2026} / November / 18, year{2026} / November / 18);
  store->commit();
  CHECK(app::preview_digest(*store, settings, nov(19, 10), {}).counts.quiet == 0);
}
