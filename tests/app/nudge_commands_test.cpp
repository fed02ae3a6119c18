// `/microalign` commands that steer nudges: a person's own (away, back, nudges on/off), the
// channel's holidays, a ticket's snooze, owner and `done`, and the channel's open tickets.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;
using std::chrono::December;
using std::chrono::June;

namespace {

std::string ask(AppHarness& h, const app::CommandIssued& command) {
  TestResponder asker;
  h.deliver(command, asker);
  REQUIRE(asker.answers().size() == 1);
  return asker.answer();
}

OwnerProfile profile_of(AppHarness& h, const std::string& user) {
  return h.read([&](storage::Store& s) { return s.owner_profiles("T1", {user}).at(user); });
}

// Someone posts about the ticket in C1, so the workspace knows it.
void name_ticket(AppHarness& h, const std::string& text = "ENG-42 on track") {
  TestResponder author;
  h.deliver(status(text), author);
  REQUIRE(author.answers().size() == 1);
}

}  // namespace

TEST_CASE("away, back and nudges on/off change the asker's own nudges, in their own calendar", "[nudge_commands]") {
  AppHarness h;                                                // Wednesday 10 June, 10:00 UTC
  h.platform().add_person("U1", "Alice", "Pacific/Auckland");  // already Wednesday 22:00 there

  CHECK_THAT(ask(h, command("away 2d")), Contains("away"));
  auto alice = profile_of(h, "U1");
  CHECK(alice.away_until == std::chrono::year{2026} / June / 11);  // today and tomorrow, Auckland's
  CHECK(alice.time_zone == "Pacific/Auckland");                    // learned for her nudges

  ask(h, command("back"));
  CHECK_FALSE(profile_of(h, "U1").away_until);

  ask(h, command("nudges off"));
  CHECK(profile_of(h, "U1").nudges_off);
  ask(h, command("nudges on"));
  CHECK_FALSE(profile_of(h, "U1").nudges_off);

  CHECK_FALSE(profile_of(h, "U2").nudges_off);  // only the asker's
}

TEST_CASE("away until a day already past is refused, and changes nothing", "[nudge_commands]") {
  AppHarness h;
  CHECK_THAT(ask(h, command("away until 2026-06-01")), Contains("already passed"));
  CHECK_FALSE(profile_of(h, "U1").away_until);
}

TEST_CASE("holidays are this channel's own", "[nudge_commands]") {
  AppHarness h;
  CHECK_THAT(ask(h, command("holiday 2026-12-24 2026-12-26")), Contains("holiday"));
  const auto holidays = [&](const std::string& channel) {
    return h.read([&](storage::Store& s) { return s.channel_holidays("T1", channel); });
  };
  CHECK(holidays("C1") == Holidays{std::chrono::year{2026} / December / 24, std::chrono::year{2026} / December / 25,
                                   std::chrono::year{2026} / December / 26});
  CHECK(holidays("C2").empty());
}

TEST_CASE("snooze holds a known ticket's nudges for the days asked, and refuses an unknown ticket", "[nudge_commands]") {
  AppHarness h;
  const auto snoozed = [&] {
    return h.read([&](storage::Store& s) { return s.snoozed_tickets("T1", "C1", h.clock.now()); });
  };

  CHECK_THAT(ask(h, command("snooze ENG-42 3d")), Contains("don't know ENG-42"));
  name_ticket(h);
  CHECK(snoozed().empty());

  CHECK_THAT(ask(h, command("snooze ENG-42 3d")), Contains("ENG-42"));
  CHECK(snoozed() == std::map<std::string, SysTime>{{"ENG-42", h.clock.now() + std::chrono::days(3)}});
}

TEST_CASE("owner names a known ticket's owner, looked up by name and never pinged, and refuses an unknown ticket",
          "[nudge_commands]") {
  AppHarness h;
  h.platform().add_person("U2", "Bob");
  const RichText owner_bob{plain("owner ENG-42 "), user_ref("U2", "bob", true)};  // Bob picked as a person

  TestResponder refused;
  h.deliver(command(owner_bob), refused);
  CHECK_THAT(refused.answer(), Contains("don't know ENG-42"));

  name_ticket(h);
  TestResponder asker;
  h.deliver(command(owner_bob), asker);
  const auto named = people_named(asker.answers().at(0));
  REQUIRE(named.size() == 1);
  CHECK(named[0].text == "@Bob");
  CHECK_FALSE(named[0].mention);

  const auto tickets = h.read([](storage::Store& s) { return s.open_tickets("T1", "C1"); });
  REQUIRE(tickets.size() == 1);
  CHECK(tickets[0].owner == "U2");  // not Alice, who posted its last status
  CHECK(h.read([](storage::Store& s) { return s.known_names("T1"); }).at("U2") == "Bob");
}

TEST_CASE("done stores a done status echoed to the channel, for a ticket someone named", "[nudge_commands]") {
  AppHarness h;

  SECTION("a ticket nobody named is refused, and neither stored nor echoed") {
    CHECK_THAT(ask(h, command("done ENG-42")), Contains("don't know ENG-42"));
    CHECK(h.updates().empty());
    CHECK(h.pending().empty());
  }
  SECTION("a known ticket") {
    name_ticket(h);
    const auto echo_of_first = h.pending().at(0).id;
    CHECK_THAT(ask(h, command("done ENG-42", bob)), Contains("Saved"));
    const auto updates = h.updates();
    REQUIRE(updates.size() == 2);
    CHECK(updates[1].user == "U2");
    CHECK(updates[1].parsed.state == TicketState::done);
    auto queued = h.pending();
    std::erase_if(queued, [&](const storage::OutboxMessage& m) { return m.id == echo_of_first; });
    REQUIRE(queued.size() == 1);
    CHECK(queued[0].destination == "C1");
    CHECK(queued[0].update_id == updates[1].id);
    CHECK(queued[0].reply_handle == "answer-/microalign");
    CHECK(h.read([](storage::Store& s) { return s.open_tickets("T1", "C1"); }).empty());
  }
}

TEST_CASE("tickets lists the channel's open tickets", "[nudge_commands]") {
  AppHarness h;
  name_ticket(h, "ENG-42 on track");
  name_ticket(h, "ENG-43 done, shipped");
  auto elsewhere = status("ENG-44 at risk");
  elsewhere.where.channel = "C2";
  TestResponder author;
  h.deliver(elsewhere, author);

  const auto list = ask(h, command("tickets"));
  CHECK_THAT(list, Contains("ENG-42"));
  CHECK_THAT(list, !Contains("ENG-43") && !Contains("ENG-44"));
}

TEST_CASE("a nudge setting that could not be saved is answered: nothing changed", "[nudge_commands]") {
  AppHarness h;
  h.storage().fail();
  CHECK_THAT(ask(h, command("nudges off")), Contains("nothing changed"));
  h.storage().recover();
  CHECK_FALSE(profile_of(h, "U1").nudges_off);
}

TEST_CASE("a zone the event carries is the asker's, and the platform is not asked", "[nudge_commands][zones]") {
  AppHarness h;  // Wednesday 10 June, 10:00 UTC: already 22:00 in Auckland
  h.platform().add_person("U1", "Alice", "America/New_York");
  const app::Person alice_in_auckland{"U1", "Alice", "Pacific/Auckland"};

  ask(h, command("away 2d", alice_in_auckland));
  CHECK(profile_of(h, "U1").away_until == std::chrono::year{2026} / June / 11);
  CHECK(profile_of(h, "U1").time_zone == "Pacific/Auckland");
  CHECK(h.platform().look_ups().empty());
}
