// Messages kept as JSON come back exactly as they were; anything else is refused whole.
#include <catch2/catch.hpp>

#include "microalign/core/message_json.hpp"
#include "microalign/core/nudge_message.hpp"

using namespace microalign;

namespace {

Message every_kind_of_block() {
  Message m;
  m.fallback = "ENG-42 went quiet";
  m.blocks.emplace_back(Section{{bold("ENG-42"), plain(" in "), channel_ref("C1", "web"), plain(" — "),
                                 italic("draft PR up"), plain(" "), code("/microalign tickets"), plain(" "),
                                 microalign::link("PR #9", "https://github.com/acme/web/pull/9"), plain(" "),
                                 user_ref("U1", "ana", false), user_ref("U2", "bo", true)}});
  m.blocks.emplace_back(Context{{plain("<!channel> stays text")}});
  m.blocks.emplace_back(Divider{});
  m.blocks.emplace_back(Actions{{Button{"Still on track", "nudge.on_track", "C1 ENG-42 7", Button::Style::primary},
                                 Button{"Done", "nudge.done", "C1 ENG-42 7", Button::Style::danger},
                                 Button{"Snooze", "nudge.snooze", "", Button::Style::normal}}});
  return m;
}

}  // namespace

TEST_CASE("a message survives the round trip through JSON", "[message_json]") {
  const auto m = every_kind_of_block();
  const auto back = message_from_json(nlohmann::json::parse(to_json(m).dump()));
  REQUIRE(back);
  CHECK(*back == m);
}

// Each block was read through a reference into a temporary that had already ended: a Debug build
// happened to find the block still there, a Release build did not, and its outbox could read
// none of its messages (slack_load found it). The sanitized build (MICROALIGN_SANITIZE, as CI
// builds) fails on the old code here.
TEST_CASE("outbox_unreadable_in_release_builds: every block is read from the message itself", "[message_json]") {
  const auto stored = to_json(every_kind_of_block()).dump();
  for (int i = 0; i < 3; ++i) {
    const auto back = message_from_json(nlohmann::json::parse(stored));
    REQUIRE(back);
    CHECK(back->blocks.size() == 4);
  }
}

TEST_CASE("defaults are left out of the JSON", "[message_json]") {
  Message m;
  m.blocks.emplace_back(Section{{plain("hi")}});
  CHECK(to_json(m).dump() == R"({"blocks":[{"section":[{"text":"hi"}]}],"fallback":""})");
}

TEST_CASE("JSON that is not one of our messages is refused whole", "[message_json]") {
  for (const char* text : {R"([])", R"({"fallback":"x"})", R"({"blocks":{}})", R"({"blocks":[{"header":[]}]})",
                           R"({"blocks":[{"section":[{"text":"a","style":"blink"}]}]})",
                           R"({"blocks":[{"section":[{"text":7}]}]})", R"({"blocks":[{"section":{}}]})",
                           R"({"blocks":[{"actions":[{"label":"x","style":"huge"}]}]})",
                           R"({"blocks":[{"section":[],"context":[]}]})", R"({"fallback":1,"blocks":[]})"}) {
    INFO(text);
    CHECK_FALSE(message_from_json(nlohmann::json::parse(text)));
  }
}

TEST_CASE("an answered ticket's buttons give way to the outcome, once", "[message_json][nudge]") {
  auto dm = every_kind_of_block();
  const RichText outcome{plain("👍 Noted")};
  CHECK(answer_in_place(dm, "C1 ENG-42 7", outcome));
  CHECK(std::get<Context>(dm.blocks.at(3)).text == outcome);
  CHECK_FALSE(answer_in_place(dm, "C1 ENG-42 7", outcome));  // answered already
  CHECK_FALSE(answer_in_place(dm, "C1 ENG-99 1", outcome));  // not in this DM
}
