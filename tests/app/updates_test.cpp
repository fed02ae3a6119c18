// Updates (/status, /heads-up, @mentions) and the answers to assumptions, through the test
// platform: what is stored, what is queued where, and what the author is told.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

// The one update stored, or a failed check.
Update only_update(AppHarness& h) {
  const auto updates = h.updates();
  REQUIRE(updates.size() == 1);
  return updates.front();
}

}  // namespace

TEST_CASE("a /status is stored, its echo queued for the channel naming its author, and a receipt answered",
          "[updates]") {
  AppHarness h;
  TestResponder author;
  h.deliver(status("ENG-42 at risk, the review is slow"), author);

  const auto update = only_update(h);
  CHECK(update.parsed.kind == UpdateKind::status);
  CHECK(update.parsed.state == TicketState::at_risk);
  CHECK(update.parsed.tickets == std::vector<std::string>{"ENG-42"});
  CHECK(update.user == "U1");
  CHECK_THAT(author.answer(), Contains("Saved"));

  const auto queued = h.pending();
  REQUIRE(queued.size() == 1);
  const auto& echo = queued.front();
  CHECK(echo.platform == "test");
  CHECK(echo.team == "T1");
  CHECK(echo.delivery == storage::Delivery::post);
  CHECK(echo.destination == "C1");
  CHECK(echo.thread.empty());
  CHECK(echo.update_id == update.id);
  CHECK(echo.reply_handle == "answer-/status");  // where it goes should the bot not be in C1
  CHECK_THAT(plain_text(echo.message), Contains("ENG-42 at risk, the review is slow"));
  const auto named = people_named(echo.message);
  REQUIRE(named.size() == 1);
  CHECK(named[0].user == "U1");
  CHECK(named[0].text == "@Alice");
  CHECK_FALSE(named[0].mention);  // named, never pinged
  CHECK(h.read([](storage::Store& s) { return s.workspace_platform("T1"); }) == "test");
}

TEST_CASE("the sender posts the echo, and the update keeps the platform's id for it", "[updates][outbox]") {
  AppHarness h;
  TestResponder author;
  h.deliver(heads_up("Deploy freeze starts Friday"), author);
  const auto update = only_update(h);
  CHECK(update.parsed.kind == UpdateKind::heads_up);
  CHECK(update.echo_ref.empty());

  h.start();
  REQUIRE(h.run_until([&] { return !h.platform().sent().empty(); }));
  const auto& sent = h.platform().sent().front();
  CHECK(sent.conversation == "C1");
  CHECK(sent.message.update_id == update.id);
  REQUIRE(h.run_until([&] { return !only_update(h).echo_ref.empty(); }));
  CHECK(only_update(h).echo_ref == sent.outcome.sent.ref);
  CHECK(h.pending().empty());
}

TEST_CASE("a /status without a ticket is refused with an example, and nothing is stored", "[updates]") {
  AppHarness h;
  TestResponder author;
  h.deliver(status("all good"), author);

  CHECK_THAT(author.answer(), Contains("/status ENG-42"));
  CHECK(h.updates().empty());
  CHECK(h.pending().empty());
}

TEST_CASE("a command microalign does not handle is answered by name, and nothing is stored", "[updates]") {
  AppHarness h;
  auto standup = heads_up("yesterday: ENG-42");
  standup.command = "/standup";
  standup.kind = std::nullopt;
  TestResponder author;
  h.deliver(standup, author);

  CHECK_THAT(author.answer(), Contains("/standup"));
  CHECK(h.updates().empty());
}

TEST_CASE("a mention is confirmed by its echo in its thread, naming its author as looked up", "[updates]") {
  AppHarness h;
  h.platform().add_person("U1", "Alice");
  TestResponder author;
  h.deliver(mention("ENG-7 blocked on the vendor", "m-100", "Ev1"), author);

  CHECK(author.acknowledged());
  CHECK(author.answers().empty());  // no receipt: the echo in the thread says it is saved
  const auto update = only_update(h);
  CHECK(update.source == UpdateSource::mention);
  CHECK(update.source_ref == "m-100");
  CHECK(update.parsed.state == TicketState::blocked);

  REQUIRE(h.platform().look_ups().size() == 1);
  CHECK(h.platform().look_ups()[0].urgency == app::Platform::Urgency::answering);  // before the acknowledgement
  const auto queued = h.pending();
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].thread == "m-100");
  REQUIRE(people_named(queued[0].message).size() == 1);
  CHECK(people_named(queued[0].message)[0].text == "@Alice");
  CHECK(h.read([](storage::Store& s) { return s.known_names("T1"); }).at("U1") == "Alice");
}

TEST_CASE("a mention whose author is not looked up in time is still saved, its echo naming them by id", "[updates]") {
  AppHarness h;
  h.platform().answer_slowly("U1");
  TestResponder author;
  h.deliver(mention("ENG-7 blocked on the vendor", "m-100", "Ev1"), author);

  CHECK(author.acknowledged());
  const auto queued = h.pending();
  REQUIRE(queued.size() == 1);
  CHECK(people_named(queued[0].message).at(0).text == "@U1");
}

TEST_CASE("a mention delivered twice is stored and echoed once", "[updates]") {
  AppHarness h;
  TestResponder first, again;
  h.deliver(mention("ENG-7 blocked on the vendor", "m-100", "Ev1"), first);
  h.deliver(mention("ENG-7 blocked on the vendor", "m-100", "Ev1"), again);

  CHECK(again.acknowledged());  // the platform stops delivering it
  CHECK(again.answers().empty());
  CHECK(h.updates().size() == 1);
  CHECK(h.pending().size() == 1);
  CHECK(h.metric(R"(microalign_updates_stored_total{platform="test"})") == 1);
}

TEST_CASE("when storage fails the author hears the update was not saved, and nothing is stored", "[updates]") {
  AppHarness h;
  h.storage().fail();
  TestResponder author;
  h.deliver(status("ENG-42 on track"), author);

  CHECK_THAT(author.answer(), Contains("couldn't save"));
  h.storage().recover();
  CHECK(h.updates().empty());
  CHECK(h.pending().empty());
}

TEST_CASE("an update storage does not get to before the platform's deadline is not saved, and never stored later",
          "[updates]") {
  AppHarnessOptions options;
  options.platform.answer_within = 50ms;
  AppHarness h(options);
  h.storage().hold();
  TestResponder author;
  h.deliver(status("ENG-42 on track"), author);

  CHECK_THAT(author.answer(), Contains("couldn't save"));
  h.storage().recover();  // the work was withdrawn: it does not run now
  h.run_for(50ms);
  CHECK(h.updates().empty());
}

TEST_CASE("a reply or a ✅ by someone else answers an open assumption, but its author's own does not",
          "[updates][answers]") {
  AppHarness h;
  TestResponder posted;
  h.deliver(heads_up("Assuming the v1 API stays up until July"), posted);
  REQUIRE(only_update(h).parsed.kind == UpdateKind::assumption);
  h.start();
  REQUIRE(h.run_until([&] { return !only_update(h).echo_ref.empty(); }));
  const auto echo = only_update(h).echo_ref;
  const auto open = [&] { return h.read([](storage::Store& s) { return s.open_assumptions("T1", "C1"); }).size(); };

  TestResponder own_reply;
  h.deliver(app::PossibleAnswer{app::PossibleAnswer::Kind::reply, "T1", "C1", "U1", echo}, own_reply);
  CHECK(own_reply.acknowledged());
  CHECK(open() == 1);

  TestResponder bobs_tick;
  h.deliver(app::PossibleAnswer{app::PossibleAnswer::Kind::reaction, "T1", "C1", "U2", echo}, bobs_tick);
  CHECK(bobs_tick.acknowledged());
  CHECK(open() == 0);
}

TEST_CASE("an answer that could not be recorded is not acknowledged, so the platform delivers it again",
          "[updates][answers]") {
  AppHarness h;
  h.storage().fail();
  TestResponder tick;
  h.deliver(app::PossibleAnswer{app::PossibleAnswer::Kind::reaction, "T1", "C1", "U2", "m1"}, tick);
  CHECK_FALSE(tick.acknowledged());
}

TEST_CASE("joining or leaving a channel is acknowledged and changes nothing", "[updates]") {
  AppHarness h;
  TestResponder r;
  h.deliver(app::MembershipChanged{"T1", "C1", "B1", false, true}, r);
  CHECK(r.acknowledged());
  CHECK(r.answers().empty());
  CHECK(h.pending().empty());
}

TEST_CASE("an update whose event carries its author's zone records it for their nudges", "[updates][zones]") {
  AppHarness h;
  TestResponder author;
  h.deliver(status("ENG-42 on track", {"U1", "Alice", "America/New_York"}), author);

  CHECK(h.read([](storage::Store& s) { return s.owner_profiles("T1", {"U1"}).at("U1").time_zone; }) ==
        "America/New_York");
  CHECK(h.platform().look_ups().empty());
}
