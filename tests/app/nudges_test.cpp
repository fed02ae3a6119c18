// Nudges through the test platform: the scheduler queues a quiet ticket's owner a DM, the sender
// opens the direct conversation and keeps the DM as sent, and the DM's buttons and its update
// form are recorded, echoed and answered in place.
#include "microalign/app/digests.hpp"
#include "microalign/app/nudges.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/nudge_outcomes.hpp"
#include "microalign/core/update_form.hpp"
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

SysTime june(unsigned day, std::chrono::hours hour) {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days{year{2026} / June / day} + hour);
}

// Alice said ENG-42 was on track on Friday 5 June at 09:00 (UTC, her zone); by Wednesday 10:00
// it has been quiet for three working days, C1's threshold.
struct QuietTicket {
  AppHarness h{{.start = june(5, 9h)}};
  Update update;
  std::string value;  // what the DM's buttons for ENG-42 carry

  QuietTicket() {
    h.platform().add_person("U1", "Alice", "UTC");
    TestResponder author;
    h.deliver(status("ENG-42 on track"), author);
    update = h.updates().at(0);
    value = encode_nudge_button({"C1", "ENG-42", update.id});
    h.clock.set(june(10, 10h));
  }

  // Starts the application and waits for the DM to be sent.
  TestPlatform::Sent nudge() {
    h.start();
    REQUIRE(h.run_until([&] { return h.platform().sent(storage::Delivery::direct).size() == 1; }));
    return h.platform().sent(storage::Delivery::direct).front();
  }

  // Alice clicks one of the DM's buttons, a minute after it came.
  app::ButtonPressed click(const TestPlatform::Sent& dm, std::string_view action) {
    h.clock.advance(1min);
    return {
        "T1", alice, std::string(action), value, dm.outcome.sent.conversation, dm.outcome.sent.ref, dm.message.message};
  }

  // The DM as Alice sees it once everything queued was sent.
  Message dm_now(const TestPlatform::Sent& dm) {
    REQUIRE(h.run_until([&] { return h.pending().empty(); }));
    return *h.platform().shown(dm.outcome.sent.conversation, dm.outcome.sent.ref);
  }

  std::optional<Message> kept(const TestPlatform::Sent& dm) {
    const storage::MessageRef ref{"test", "T1", dm.outcome.sent.conversation, dm.outcome.sent.ref};
    return h.read([&](storage::Store& s) { return s.interactive_message(ref); });
  }
};

}  // namespace

TEST_CASE("a quiet ticket's owner gets one DM with buttons, in the direct conversation opened once and remembered",
          "[nudges]") {
  QuietTicket t;
  const auto dm = t.nudge();

  CHECK(dm.message.delivery == storage::Delivery::direct);
  CHECK(dm.message.destination == "U1");
  CHECK(dm.message.interactive);
  CHECK(dm.conversation == "D-U1");
  CHECK_THAT(plain_text(dm.message.message), Contains("ENG-42"));
  CHECK(button_labels(dm.message.message).size() == 4);
  CHECK(t.h.platform().directs_opened() == std::vector<std::pair<std::string, std::string>>{{"T1", "U1"}});
  CHECK(t.h.read([](storage::Store& s) { return s.direct_conversation("test", "T1", "U1"); }) == "D-U1");
  // Her zone was asked of the platform in the background, and kept for her next nudges.
  CHECK(t.h.platform().look_ups().back().urgency == app::Platform::Urgency::background);
  CHECK(t.h.read([](storage::Store& s) { return s.owner_profiles("T1", {"U1"}).at("U1").time_zone; }) == "UTC");

  // Kept as sent, for the first answer to rewrite; and not sent again at the next ticks.
  REQUIRE(t.h.run_until([&] { return t.kept(dm).has_value(); }));
  CHECK(*t.kept(dm) == dm.message.message);
  t.h.run_for(100ms);
  CHECK(t.h.platform().sent(storage::Delivery::direct).size() == 1);
  CHECK(t.h.metric(R"(microalign_nudges_queued_total{platform="test"})") == 1);
  CHECK(t.h.metric(R"(microalign_nudges_sent_total{platform="test"})") == 1);
  CHECK(t.h.metric(R"(microalign_digests_posted_total{platform="test"})") == 0);
}

TEST_CASE("an owner the platform cannot tell the zone of is nudged in UTC hours", "[nudges]") {
  QuietTicket t;
  t.h.platform().add_person("U1", "Alice", "");  // known, with no zone
  t.nudge();
  CHECK(t.h.read([](storage::Store& s) { return s.owner_profiles("T1", {"U1"}).at("U1").time_zone; }).empty());
}

TEST_CASE("a DM whose conversation cannot be opened fails, and is not tried again", "[nudges]") {
  QuietTicket t;
  t.h.platform().script_open_direct(send_outcome::permanent("cannot_dm_bot"));
  t.h.start();
  REQUIRE(t.h.run_until([&] { return t.h.platform().directs_opened().size() == 1 && t.h.pending().empty(); }));
  t.h.run_for(100ms);
  CHECK(t.h.platform().directs_opened().size() == 1);
  CHECK(t.h.platform().sent(storage::Delivery::direct).empty());
}

TEST_CASE("a DM's button is recorded, and the DM rewritten in place so it cannot be answered twice", "[nudges]") {
  QuietTicket t;
  const auto dm = t.nudge();
  TestButtonResponder alice_clicks;

  SECTION("still on track: her status stored and echoed to the channel") {
    t.h.deliver(t.click(dm, nudge_action::on_track), alice_clicks);
    const auto updates = t.h.updates();
    REQUIRE(updates.size() == 2);
    CHECK(updates[1].user == "U1");
    CHECK(updates[1].where.channel == "C1");
    CHECK(updates[1].parsed.state == TicketState::on_track);
    CHECK_THAT(plain_text(t.dm_now(dm)), Contains("still on track"));
    const auto echoes = t.h.platform().sent(storage::Delivery::post);
    REQUIRE(echoes.size() == 2);  // Friday's, and this one
    CHECK(echoes[1].message.update_id == updates[1].id);
  }
  SECTION("done: a done status, stored and echoed") {
    t.h.deliver(t.click(dm, nudge_action::done), alice_clicks);
    REQUIRE(t.h.updates().size() == 2);
    CHECK(t.h.updates()[1].parsed.state == TicketState::done);
    CHECK_THAT(plain_text(t.dm_now(dm)), Contains("marked done"));
  }
  SECTION("snooze: no nudge for two days, and nothing said in the channel") {
    t.h.deliver(t.click(dm, nudge_action::snooze), alice_clicks);
    CHECK(t.h.updates().size() == 1);
    const auto snoozed = t.h.read([&](storage::Store& s) { return s.snoozed_tickets("T1", "C1", t.h.clock.now()); });
    CHECK(snoozed.at("ENG-42") == t.h.clock.now() + std::chrono::days(2));
    CHECK_THAT(plain_text(t.dm_now(dm)), Contains("Snoozed"));
  }

  CHECK(alice_clicks.acknowledged());
  CHECK(alice_clicks.answers().empty());
  const auto rewrites = t.h.platform().sent(storage::Delivery::update);
  REQUIRE(rewrites.size() == 1);
  CHECK(rewrites[0].conversation == dm.conversation);
  CHECK(rewrites[0].message.target == dm.outcome.sent.ref);
  CHECK(button_labels(t.dm_now(dm)).empty());
  CHECK(t.kept(dm) == t.dm_now(dm));  // the next answer starts from this version

  // Clicking again (a second tab, a double click) finds it answered: nothing more is sent.
  TestButtonResponder again;
  t.h.deliver(t.click(dm, nudge_action::on_track), again);
  t.h.run_for(50ms);
  CHECK(t.h.platform().sent(storage::Delivery::update).size() == 1);
}

TEST_CASE("a button about a ticket that moved on or is done is answered privately, and the DM says so", "[nudges]") {
  QuietTicket t;
  const auto dm = t.nudge();
  t.h.clock.advance(1h);
  std::string gist;
  SECTION("a newer update since the nudge") {
    TestResponder author;
    t.h.deliver(status("ENG-42 at risk, the vendor is late"), author);
    gist = "has had an update since";
  }
  SECTION("done since the nudge") {
    TestResponder author;
    t.h.deliver(status("ENG-42 done"), author);
    gist = "already done";
  }
  TestButtonResponder alice_clicks;
  t.h.deliver(t.click(dm, nudge_action::on_track), alice_clicks);

  CHECK_THAT(alice_clicks.answer(), Contains(gist));
  CHECK(t.h.updates().size() == 2);  // the click stored nothing
  CHECK_THAT(plain_text(t.dm_now(dm)), Contains(gist));
  CHECK(button_labels(t.dm_now(dm)).empty());
}

TEST_CASE("a button this version does not know is answered privately, and changes nothing", "[nudges]") {
  QuietTicket t;
  const auto dm = t.nudge();
  auto click = t.click(dm, "nudge.reassign");
  TestButtonResponder alice_clicks;
  t.h.deliver(click, alice_clicks);

  CHECK(alice_clicks.acknowledged());
  CHECK(alice_clicks.answer() == unknown_button_note(t.h.platform().spelling()));
  CHECK(t.h.updates().size() == 1);
  t.h.run_for(50ms);
  CHECK(t.h.platform().sent(storage::Delivery::update).empty());
}

TEST_CASE("post an update opens the form about the ticket, or says how else to post when it cannot", "[nudges][form]") {
  QuietTicket t;
  const auto dm = t.nudge();
  TestButtonResponder alice_clicks;

  SECTION("opened") {
    t.h.deliver(t.click(dm, nudge_action::post_update), alice_clicks);
    REQUIRE(alice_clicks.forms().size() == 1);
    const auto& form = alice_clicks.forms()[0];
    CHECK(form.ticket == "ENG-42");
    CHECK_THAT(to_plain_text(form.about), Contains("ENG-42 on track"));  // its last update
    CHECK(decode_form_context(form.context) ==
          UpdateFormContext{{"C1", "ENG-42", t.update.id}, dm.outcome.sent.conversation, dm.outcome.sent.ref});
    CHECK(alice_clicks.answers().empty());
  }
  SECTION("the platform would not open it") {
    alice_clicks.refuse_forms();
    t.h.deliver(t.click(dm, nudge_action::post_update), alice_clicks);
    CHECK_THAT(alice_clicks.answer(), Contains("/status ENG-42"));
  }
  CHECK(alice_clicks.acknowledged());
  CHECK(t.h.updates().size() == 1);  // nothing stored until the form is sent
}

TEST_CASE("the update form is stored, echoed and answered in the DM when it says something, else kept open",
          "[nudges][form]") {
  QuietTicket t;
  const auto dm = t.nudge();
  t.h.clock.advance(1min);
  const auto context = encode_form_context({{"C1", "ENG-42", t.update.id}, dm.conversation, dm.outcome.sent.ref});
  TestFormResponder form;

  SECTION("nothing picked or written: kept open, saying so under the note") {
    t.h.deliver(app::FormSubmitted{"T1", alice, context, "", "  "}, form);
    CHECK(form.kept_open());
    CHECK(form.problems().contains(std::string(update_form_field::note)));
    CHECK(t.h.updates().size() == 1);
  }
  SECTION("a form from another version: kept open, asking to post with /status instead") {
    t.h.deliver(app::FormSubmitted{"T1", alice, "from-an-older-version", "at_risk", "vendor is late"}, form);
    CHECK(form.kept_open());
    CHECK_THAT(form.problems().at(std::string(update_form_field::note)), Contains("/status"));
    CHECK(t.h.updates().size() == 1);
  }
  SECTION("a state and a note: her status, echoed, and the DM answered") {
    t.h.deliver(app::FormSubmitted{"T1", alice, context, "at_risk", "vendor is late"}, form);
    CHECK(form.closed());
    CHECK_FALSE(form.kept_open());
    const auto updates = t.h.updates();
    REQUIRE(updates.size() == 2);
    CHECK(updates[1].user == "U1");
    CHECK(updates[1].parsed.state == TicketState::at_risk);
    CHECK_THAT(updates[1].parsed.text, Contains("vendor is late"));
    CHECK_THAT(plain_text(t.dm_now(dm)), Contains("Your update on ENG-42 is posted"));
    CHECK(t.h.platform().sent(storage::Delivery::post).back().message.update_id == updates[1].id);
  }
}

// Two replicas' ticks that planned the same nudge before either recorded it: the one that records
// second queues nothing, so the owner gets one DM for the quiet period.
TEST_CASE("a nudge planned by two replicas at once is queued by one", "[nudges]") {
  QuietTicket t;
  const auto now = t.h.clock.now();
  const auto context = app::offline_context("test");
  const auto plans = t.h.read([&](storage::Store& s) { return app::plan_all_nudges(s, now); });
  REQUIRE(plans.size() == 1);
  REQUIRE(plans[0].report.nudges.size() == 1);
  const auto queued_before = t.h.pending().size();  // the status update's echo
  const auto first = t.h.read([&](storage::Store& s) { return app::queue_nudges(s, plans[0], now, context); });
  const auto second = t.h.read([&](storage::Store& s) { return app::queue_nudges(s, plans[0], now, context); });
  CHECK(first == 1);
  CHECK(second == 0);
  CHECK(t.h.pending().size() == queued_before + 1);
}
