// Scheduled digests through the test platforms: queued at the channel's time on the platform of
// its workspace, posted once, skipped when missed by too much, and left alone by a process that
// does not serve that platform (two platforms' workspaces can share one database).
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

SysTime june(unsigned day, std::chrono::hours hour, std::chrono::minutes minute = 0min) {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days{year{2026} / June / day} + hour + minute);
}

// An update the store already holds (from earlier: nothing of it is still to be sent).
void stored_update(AppHarness& h, const std::string& team, const std::string& channel, const std::string& text) {
  h.write([&](storage::Store& s) {
    Update u;
    u.created_at = h.clock.now() - 1h;
    u.where = {team, channel, {}};
    u.user = "U1";
    u.parsed = parse_update(Command::status, text, {});
    s.insert_update(u);
  });
}

// Alice set `team`'s channel to a daily digest at `at`, 09:00 unless said (UTC: the platform
// knows no zone for her) through `platform`, and a blocked ticket is there to report.
void daily_digest(AppHarness& h, app::Platform& platform, const std::string& team, const std::string& channel,
                  const std::string& at = "09:00") {
  stored_update(h, team, channel, "ENG-42 blocked on the vendor");
  auto setup = command("digest daily " + at, alice, channel);
  setup.where.team = team;
  TestResponder asker;
  h.deliver(setup, asker, &platform);
  REQUIRE_THAT(asker.answer(), Contains("Done"));
}

std::vector<TestPlatform::Sent> digests_sent(TestPlatform& platform) { return platform.sent(storage::Delivery::post); }

std::optional<storage::DigestRun> last_run(AppHarness& h, const std::string& team, const std::string& channel) {
  return h.read([&](storage::Store& s) { return s.last_digest_run(team, channel); });
}

// The application on a clock that runs at the real pace from `start`, and a digest scheduler
// with no short tick to be lucky with: it must wake when the digest is due.
AppHarnessOptions running_clock(SysTime start) {
  AppHarnessOptions options{.start = start};
  options.app_clock = app::clock_starting_at(start);
  options.service.digest_max_sleep = 1h;
  return options;
}

}  // namespace

TEST_CASE("a channel's digest is posted at its time, once, telling its configurer if it cannot be", "[digests]") {
  AppHarness h({.start = june(10, 8h, 50min)});
  daily_digest(h, h.platform(), "T1", "C1");
  h.start();
  h.run_for(50ms);
  CHECK(digests_sent(h.platform()).empty());  // not 09:00 yet

  h.clock.set(june(10, 9h, 0min) + 5s);
  REQUIRE(h.run_until([&] { return !digests_sent(h.platform()).empty() && h.pending().empty(); }));
  const auto digest = digests_sent(h.platform());
  CHECK(digest.front().conversation == "C1");
  CHECK(digest.front().message.notify_on_failure == "U1");
  CHECK_THAT(plain_text(digest.front().message.message), Contains("ENG-42"));
  const auto run = last_run(h, "T1", "C1");
  REQUIRE(run);
  CHECK(run->scheduled_for == june(10, 9h));
  CHECK(run->posted);

  h.run_for(100ms);  // the next ticks find it done
  CHECK(digests_sent(h.platform()).size() == digest.size());
  CHECK(h.metric(R"(microalign_digests_queued_total{platform="test"})") == 1);
  CHECK(h.metric(R"(microalign_digests_posted_total{platform="test"})") == 1);  // its first message
}

TEST_CASE("a digest missed while the bot was down is posted up to six hours late, and skipped after that", "[digests]") {
  AppHarness h({.start = june(9, 17h)});
  daily_digest(h, h.platform(), "T1", "C1");
  bool posted = false;
  SECTION("five hours late") {
    h.clock.set(june(10, 14h));
    posted = true;
  }
  SECTION("seven hours late") { h.clock.set(june(10, 16h)); }
  h.start();

  REQUIRE(h.run_until([&] {
    const auto run = last_run(h, "T1", "C1");
    return run && run->scheduled_for == june(10, 9h) && h.pending().empty();
  }));
  CHECK(last_run(h, "T1", "C1")->posted == posted);
  CHECK(digests_sent(h.platform()).size() == (posted ? 1u : 0u));
}

TEST_CASE("a digest goes through the platform its workspace is on", "[digests][platforms]") {
  AppHarness h({.start = june(10, 8h, 50min), .platforms = {"test", "other"}});
  daily_digest(h, h.platform("test"), "T1", "C1");
  daily_digest(h, h.platform("other"), "T2", "C2");
  CHECK(h.read([](storage::Store& s) { return s.workspace_platform("T2"); }) == "other");

  h.start();
  h.clock.set(june(10, 9h, 0min) + 5s);
  REQUIRE(h.run_until(
      [&] { return !digests_sent(h.platform("test")).empty() && !digests_sent(h.platform("other")).empty(); }));
  for (const auto& sent : digests_sent(h.platform("test"))) CHECK(sent.conversation == "C1");
  for (const auto& sent : digests_sent(h.platform("other"))) CHECK(sent.conversation == "C2");
}

TEST_CASE("a digest of a workspace on a platform this process does not serve is left to the one that does",
          "[digests][platforms]") {
  AppHarness h({.start = june(10, 8h, 50min)});  // serves "test" only
  TestPlatform other({.name = "other"});
  daily_digest(h, h.platform(), "T1", "C1");
  daily_digest(h, other, "T2", "C2");

  h.start();
  h.clock.set(june(10, 9h, 0min) + 5s);
  REQUIRE(h.run_until([&] { return !digests_sent(h.platform()).empty(); }));
  h.run_for(50ms);
  CHECK_FALSE(last_run(h, "T2", "C2"));  // not even recorded: it is the other process's to post
  CHECK(h.pending("other").empty());
  CHECK(other.sent().empty());
}

TEST_CASE("a workspace whose platform was never recorded is taken to be on the one platform served",
          "[digests][platforms]") {
  std::vector<std::string> served;
  std::size_t posted = 0;
  SECTION("one platform served: its") {
    served = {"test"};
    posted = 1;
  }
  SECTION("two: neither's, since it cannot tell") { served = {"test", "other"}; }
  AppHarness h({.start = june(10, 9h, 1min), .platforms = served});
  stored_update(h, "T1", "C1", "ENG-42 blocked on the vendor");
  h.write([&](storage::Store& s) {  // as data from before the bot served several platforms
    storage::ChannelSettings settings;
    settings.team = "T1";
    settings.channel = "C1";
    settings.schedule.cadence = DigestSchedule::Cadence::daily;
    settings.time_zone = "UTC";
    s.save_channel_settings(settings);
  });

  h.start();
  h.run_until([&] { return last_run(h, "T1", "C1").has_value(); }, 300ms);
  h.run_until([&] { return h.pending().empty(); });
  std::size_t sent = 0;
  for (const auto& name : served) sent += digests_sent(h.platform(name)).size();
  CHECK(sent == posted);
}

TEST_CASE("a digest set for 09:30 is posted within seconds of 09:30, not up to a tick later", "[digests][timing]") {
  AppHarness h(running_clock(june(10, 9h, 29min) + 57s));
  daily_digest(h, h.platform(), "T1", "C1", "09:30");
  h.start();
  h.run_for(500ms);
  CHECK(digests_sent(h.platform()).empty());  // 09:29:57.5: not yet

  REQUIRE(h.run_until([&] { return !digests_sent(h.platform()).empty(); }, 10s));
  const auto posted_at = digests_sent(h.platform()).front().at;
  CHECK(posted_at >= june(10, 9h, 30min));
  CHECK(posted_at < june(10, 9h, 30min) + 2s);
}

TEST_CASE("a schedule changed while the digest scheduler sleeps applies at once, in the channel's zone",
          "[digests][timing]") {
  AppHarness h(running_clock(june(10, 9h, 29min) + 57s));
  daily_digest(h, h.platform(), "T1", "C1", "17:00");
  h.start();
  h.run_for(300ms);  // it sleeps now: the next digest is hours away

  TestResponder asker;
  h.deliver(command("tz Europe/Berlin"), asker);
  h.deliver(command("digest daily 11:30"), asker);  // 09:30 UTC: Berlin is two hours ahead in June
  REQUIRE_THAT(asker.answer(), Contains("Done"));
  REQUIRE(h.run_until([&] { return !digests_sent(h.platform()).empty(); }, 10s));
  const auto posted_at = digests_sent(h.platform()).front().at;
  CHECK(posted_at >= june(10, 9h, 30min));
  CHECK(posted_at < june(10, 9h, 30min) + 2s);
}
