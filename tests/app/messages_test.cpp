// Where there are no slash commands (Teams, the sandbox), people write to the bot: the first word
// of a message picks an update or a command. And every answer spells commands the way people
// type them on the platform it goes to.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

// A platform where people write `@microalign status …` rather than type `/status …`.
const CommandSpelling written{"@microalign ", "@microalign ", "add @microalign to the channel"};

AppHarnessOptions without_slash_commands() {
  AppHarnessOptions options;
  options.platform.spelling = written;
  return options;
}

// `@microalign <text>` written in C1 as the message `ref`, by Alice.
app::MessageToBot message(const std::string& text, const std::string& ref = "m-1") {
  app::MessageToBot m;
  m.where = {"T1", "C1", {}};
  m.author = alice;
  m.text = RichText{plain(text)};
  m.event_id = "Ev-" + ref;
  m.source_ref = ref;
  m.echo_thread = ref;
  return m;
}

}  // namespace

TEST_CASE("a message's first word makes it a status or a heads-up, confirmed by its echo in the thread", "[messages]") {
  AppHarness h(without_slash_commands());
  TestResponder author;
  UpdateKind kind{};
  SECTION("status") {
    h.deliver(message("status ENG-42 blocked on the vendor"), author);
    kind = UpdateKind::status;
  }
  SECTION("heads-up") {
    h.deliver(message("heads-up ENG-42 deploys are frozen until Monday"), author);
    kind = UpdateKind::heads_up;
  }
  SECTION("anything else: read as a mention") {
    h.deliver(message("ENG-42 deploys are frozen until Monday"), author);
    kind = UpdateKind::heads_up;
  }

  CHECK(author.acknowledged());
  CHECK(author.answers().empty());
  const auto updates = h.updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].parsed.kind == kind);
  CHECK(updates[0].source_ref == "m-1");
  CHECK_THAT(updates[0].parsed.text, !Contains("status") && !Contains("heads-up"));  // the command word is not news
  const auto echo = h.pending();
  REQUIRE(echo.size() == 1);
  CHECK(echo[0].thread == "m-1");
}

TEST_CASE("a message starting with a command's keyword is that command, answered privately", "[messages]") {
  AppHarness h(without_slash_commands());
  TestResponder author;
  h.deliver(message("nudges off"), author);

  CHECK_THAT(author.answer(), Contains("off"));
  CHECK(h.read([](storage::Store& s) { return s.owner_profiles("T1", {"U1"}).at("U1").nudges_off; }));
  CHECK(h.updates().empty());
}

TEST_CASE("answers spell commands as people type them on the platform", "[messages]") {
  AppHarness h(without_slash_commands());
  TestResponder author;

  h.deliver(message("status all good"), author);  // no ticket: refused, with an example
  CHECK_THAT(author.answer(), Contains("`@microalign status ENG-42"));
  CHECK_THAT(author.answer(), !Contains("/status"));

  h.deliver(message("help"), author);
  CHECK_THAT(author.answer(), Contains("@microalign digest") && !Contains("/microalign"));
}
