// `/microalign` for a channel: its digest schedule, time zone, quiet threshold and settings, a
// digest on demand, a ticket's timeline, help, and what is not understood. Every answer is
// private to whoever asked.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

storage::ChannelSettings settings_of(AppHarness& h, const std::string& channel = "C1") {
  const auto settings = h.read([&](storage::Store& s) { return s.channel_settings("T1", channel); });
  REQUIRE(settings);
  return *settings;
}

std::string ask(AppHarness& h, const app::CommandIssued& command) {
  TestResponder asker;
  h.deliver(command, asker);
  REQUIRE(asker.answers().size() == 1);
  return asker.answer();
}

}  // namespace

TEST_CASE("a digest schedule is saved in the zone of whoever set the channel up, who hears of its problems",
          "[commands][digest]") {
  AppHarness h;
  h.platform().add_person("U1", "Alice", "Europe/Berlin");

  CHECK_THAT(ask(h, command("digest weekdays 09:30")), Contains("Done"));
  const auto saved = settings_of(h);
  CHECK(saved.schedule.cadence == DigestSchedule::Cadence::weekdays);
  CHECK(saved.schedule.time_of_day == 9h + 30min);
  CHECK(saved.time_zone == "Europe/Berlin");  // asked of the platform
  CHECK(saved.configured_by == "U1");
  CHECK(h.platform().look_ups().at(0).urgency == app::Platform::Urgency::answering);
  CHECK(h.read([](storage::Store& s) { return s.workspace_platform("T1"); }) == "test");

  // Bob changes the zone and the threshold: Alice stays the one told about problems.
  ask(h, command("tz America/New_York", bob));
  ask(h, command("quiet 5d", bob));
  const auto changed = settings_of(h);
  CHECK(changed.time_zone == "America/New_York");
  CHECK(changed.quiet_days == 5);
  CHECK(changed.configured_by == "U1");

  const auto shown = ask(h, command("settings", bob));
  CHECK_THAT(shown, Contains("weekdays 09:30") && Contains("America/New_York") && Contains("5 working days"));

  ask(h, command("digest off"));
  CHECK(settings_of(h).schedule.cadence == DigestSchedule::Cadence::off);
}

TEST_CASE("settings of a channel never set up are shown and not saved", "[commands][digest]") {
  AppHarness h;
  CHECK_THAT(ask(h, command("settings")), Contains("off"));
  CHECK_FALSE(h.read([](storage::Store& s) { return s.channel_settings("T1", "C1"); }));
}

TEST_CASE("digest now posts this channel's digest, telling the channel's configurer if it cannot",
          "[commands][digest]") {
  AppHarness h;
  h.start();
  TestResponder author;
  h.deliver(status("ENG-42 blocked on the vendor's API keys"), author);
  REQUIRE(h.run_until([&] { return h.platform().sent().size() == 1; }));  // its echo
  h.clock.advance(1min);

  CHECK_THAT(ask(h, command("digest now", bob)), Contains("Posting the digest now"));
  const auto run = h.read([](storage::Store& s) { return s.last_posted_digest("T1", "C1"); });
  REQUIRE(run);
  CHECK(run->window_end == h.clock.now());
  REQUIRE(h.run_until([&] { return h.platform().sent().size() > 1 && h.pending().empty(); }));
  const auto sent = h.platform().sent();
  for (auto post = sent.begin() + 1; post != sent.end(); ++post) {
    CHECK(post->message.delivery == storage::Delivery::post);
    CHECK(post->conversation == "C1");
    CHECK(post->message.notify_on_failure == "U2");  // Bob set the channel up by asking
  }
  CHECK_THAT(plain_text(sent.at(1).message.message), Contains("ENG-42"));
}

TEST_CASE("digest now in a channel with nothing to say queues nothing", "[commands][digest]") {
  AppHarness h;
  CHECK_THAT(ask(h, command("digest now")), Contains("no digest to post"));
  CHECK(h.pending().empty());
}

TEST_CASE("a ticket's timeline shows what was said about it in this channel only", "[commands]") {
  AppHarness h;
  TestResponder author;
  h.deliver(status("ENG-42 on track, the draft is up"), author);
  auto elsewhere = status("ENG-42 at risk, said in private");
  elsewhere.where.channel = "C2";
  h.deliver(elsewhere, author);

  const auto timeline = ask(h, command("ticket ENG-42", bob));
  CHECK_THAT(timeline, Contains("the draft is up"));
  CHECK_THAT(timeline, !Contains("said in private"));
}

TEST_CASE("help lists the commands, and what is not understood is answered with the right form", "[commands]") {
  AppHarness h;
  CHECK_THAT(ask(h, command("help")), Contains("/microalign digest"));

  const auto expected = std::get<channel_command::Invalid>(channel_command::parse("digest sometimes", slash_commands())).message;
  CHECK(ask(h, command("digest sometimes")) == expected);
  CHECK(h.pending().empty());
  CHECK_FALSE(h.read([](storage::Store& s) { return s.channel_settings("T1", "C1"); }));
}

TEST_CASE("a setting that could not be saved is answered: nothing changed", "[commands]") {
  AppHarness h;
  h.storage().fail();
  CHECK_THAT(ask(h, command("quiet 5d")), Contains("nothing changed"));
  h.storage().recover();
  CHECK_FALSE(h.read([](storage::Store& s) { return s.channel_settings("T1", "C1"); }));
}
