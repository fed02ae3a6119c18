// A nudge DM's buttons and its update form, against the fake Slack: each button records what it
// says and echoes it to the ticket's channel, the form opens (views.open) and its submission
// (view_submission) is stored, the DM is rewritten in place (chat.update), and out-of-date or
// unknown buttons get a private answer.
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/nudges.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

constexpr const char* dm_channel = "D111";
constexpr const char* dm_ts = "1700000000.000100";

struct Scenario {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");
  std::unique_ptr<BotHarness> bot;
  int envelopes = 0;

  Scenario() {
    pki.trust();
    slack.on("views.open", [](const ApiCall& call) {
      nlohmann::json view = call.params["view"];
      view["id"] = "V111";
      return Reply::json({{"ok", true}, {"view", view}});
    });
    bot = std::make_unique<BotHarness>(config);
    REQUIRE(slack.wait_for_connections(2, 5s));
  }

  std::string next_envelope() { return "env-" + std::to_string(++envelopes); }

  // A /status in channel C111; returns the update's id.
  std::int64_t status(const std::string& text, const std::string& user = "U111") {
    const auto id = next_envelope();
    slack.send_envelope(slash_command(id, "/status", text, user, "C111", slack.response_url(id)));
    REQUIRE(slack.wait_for_ack(id, 3s));
    return bot->updates().back().id;
  }

  // A click on one of the DM's buttons, with the DM's blocks as Slack shows them.
  std::optional<nlohmann::json> click(std::string_view action_id, const std::string& value,
                                      const nlohmann::json& blocks) {
    const auto id = next_envelope();
    auto envelope = block_action(id, action_id, value, "U111", dm_channel, dm_ts, slack.response_url(id));
    envelope["payload"]["message"]["blocks"] = blocks;
    slack.send_envelope(envelope);
    return slack.wait_for_ack(id, 3s);
  }

  std::vector<Update> updates_in_channel() const {
    auto all = bot->updates();
    std::erase_if(all, [](const Update& u) { return u.where.channel != "C111"; });
    return all;
  }
};

// The DM as the nudge posted it: per ticket a section and its four buttons (Slack adds block ids).
nlohmann::json dm_blocks(const std::vector<NudgeButtonValue>& tickets) {
  auto blocks = nlohmann::json::array();
  int n = 0;
  for (const auto& t : tickets) {
    blocks.push_back({{"type", "section"}, {"block_id", "s" + std::to_string(++n)},
                      {"text", {{"type", "mrkdwn"}, {"text", "*" + t.key + "* has been quiet"}}}});
    nlohmann::json actions{{"type", "actions"}, {"block_id", "a" + std::to_string(n)}};
    for (auto id : {nudge_action::on_track, nudge_action::post_update, nudge_action::snooze, nudge_action::done}) {
      actions["elements"].push_back({{"type", "button"}, {"action_id", std::string(id)},
                                     {"text", {{"type", "plain_text"}, {"text", std::string(id)}}},
                                     {"value", encode_nudge_button(t)}});
    }
    blocks.push_back(actions);
  }
  return blocks;
}

std::string text_of(const ApiCall& call) { return call.params.dump(); }

bool has_buttons_for(const nlohmann::json& blocks, const NudgeButtonValue& t) {
  return blocks.dump().find(encode_nudge_button(t)) != std::string::npos;
}

}  // namespace

TEST_CASE("still on track records an on_track status, echoes it, and rewrites the DM in place", "[nudge][app]") {
  Scenario s;
  const NudgeButtonValue eng42{"C111", "ENG-42", s.status("ENG-42 blocked on review")};
  const NudgeButtonValue eng7{"C111", "ENG-7", s.status("ENG-7 at risk")};
  const auto blocks = dm_blocks({eng42, eng7});

  REQUIRE(s.click(nudge_action::on_track, encode_nudge_button(eng42), blocks));
  auto updates = s.updates_in_channel();
  REQUIRE(updates.size() == 3);
  CHECK(updates.back().user == "U111");
  CHECK(updates.back().parsed.state == TicketState::on_track);
  CHECK(updates.back().parsed.tickets == std::vector<std::string>{"ENG-42"});

  auto update = s.slack.wait_for_call("chat.update", 3s);
  REQUIRE(update);
  CHECK(update->params["channel"] == dm_channel);
  CHECK(update->params["ts"] == dm_ts);
  CHECK_FALSE(has_buttons_for(update->params["blocks"], eng42));
  CHECK(has_buttons_for(update->params["blocks"], eng7));  // the other ticket still asks
  CHECK(text_of(*update).find("still on track") != std::string::npos);
  // The echo reaches the ticket's channel like any /status (three: two statuses, one answer).
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 3; }));
  CHECK(s.slack.posted_messages().back()["channel"] == "C111");

  // A click on the other ticket, carrying the DM as first posted, keeps the first answer.
  REQUIRE(s.click(nudge_action::done, encode_nudge_button(eng7), blocks));
  auto second = s.slack.wait_for_call("chat.update", 3s, 2);
  REQUIRE(second);
  CHECK_FALSE(has_buttons_for(second->params["blocks"], eng42));
  CHECK_FALSE(has_buttons_for(second->params["blocks"], eng7));
  CHECK(s.updates_in_channel().back().parsed.state == TicketState::done);
}

TEST_CASE("snooze holds the nudges for two days, and nothing is posted to the channel", "[nudge][app]") {
  Scenario s;
  const NudgeButtonValue eng42{"C111", "ENG-42", s.status("ENG-42 on track")};
  REQUIRE(s.click(nudge_action::snooze, encode_nudge_button(eng42), dm_blocks({eng42})));
  REQUIRE(s.slack.wait_for_call("chat.update", 3s));
  CHECK(text_of(s.slack.calls("chat.update").at(0)).find("Snoozed") != std::string::npos);
  CHECK(s.updates_in_channel().size() == 1);

  auto reader = s.bot->reader();
  const auto candidates = reader->nudge_candidates(SysTime::max());
  REQUIRE(candidates.size() == 1);
  REQUIRE(candidates[0].snoozed_until);
  const auto snoozed_for = *candidates[0].snoozed_until - app::system_clock()();
  CHECK(snoozed_for > std::chrono::hours(47));
  CHECK(snoozed_for <= std::chrono::hours(48));
}

TEST_CASE("post an update opens the form, and its submission is stored, echoed and answers the DM", "[nudge][app]") {
  Scenario s;
  const NudgeButtonValue eng42{"C111", "ENG-42", s.status("ENG-42 on track, draft PR up")};
  REQUIRE(s.click(nudge_action::post_update, encode_nudge_button(eng42), dm_blocks({eng42})));

  auto open = s.slack.wait_for_call("views.open", 3s);
  REQUIRE(open);
  CHECK(open->params["trigger_id"] == "111.222.xxx");
  const auto view = open->params["view"];
  CHECK(view["callback_id"] == "nudge.update_form");
  CHECK(view.dump().find("draft PR up") != std::string::npos);  // the form shows where things were

  SECTION("an empty form is refused under its text box, and nothing is stored") {
    const auto ack_id = s.next_envelope();
    s.slack.send_envelope(view_submission(ack_id, "nudge.update_form", view["private_metadata"].get<std::string>(),
                                          nlohmann::json::object(), "U111"));
    auto ack = s.slack.wait_for_ack(ack_id, 3s);
    REQUIRE(ack);
    CHECK((*ack)["payload"]["response_action"] == "errors");
    CHECK((*ack)["payload"]["errors"].contains("note"));
    CHECK(s.updates_in_channel().size() == 1);
  }

  SECTION("a state and a line are stored as the owner's status, inert markup included") {
    const auto values = nlohmann::json::parse(R"({
      "state": {"state": {"type": "static_select", "selected_option": {"value": "at_risk"}}},
      "note": {"note": {"type": "plain_text_input", "value": "review slipped <!channel>"}}})");
    const auto ack_id = s.next_envelope();
    s.slack.send_envelope(
        view_submission(ack_id, "nudge.update_form", view["private_metadata"].get<std::string>(), values, "U111"));
    auto ack = s.slack.wait_for_ack(ack_id, 3s);
    REQUIRE(ack);
    CHECK_FALSE((ack->contains("payload") && (*ack)["payload"].contains("response_action")));

    auto updates = s.updates_in_channel();
    REQUIRE(updates.size() == 2);
    CHECK(updates.back().parsed.state == TicketState::at_risk);
    CHECK(updates.back().parsed.tickets == std::vector<std::string>{"ENG-42"});
    CHECK(updates.back().parsed.text.find("review slipped") != std::string::npos);

    REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 2; }));
    const auto echo = s.slack.posted_messages().back().dump();
    CHECK(echo.find("review slipped") != std::string::npos);
    CHECK(echo.find("<!channel>") == std::string::npos);

    auto update = s.slack.wait_for_call("chat.update", 3s);
    REQUIRE(update);
    CHECK(update->params["ts"] == dm_ts);
    CHECK_FALSE(has_buttons_for(update->params["blocks"], eng42));
    CHECK(text_of(*update).find("update on") != std::string::npos);
  }
}

TEST_CASE("a button from before a newer update, or on a done ticket, is answered privately", "[nudge][app]") {
  Scenario s;
  const NudgeButtonValue eng42{"C111", "ENG-42", s.status("ENG-42 on track")};
  const auto blocks = dm_blocks({eng42});

  SECTION("moved on") {
    s.status("ENG-42 delayed 2 days", "U222");
    REQUIRE(s.click(nudge_action::on_track, encode_nudge_button(eng42), blocks));
    auto note = s.slack.wait_for_call(FakeSlack::response_url_method, 3s);
    REQUIRE(note);
    CHECK(note->params["response_type"] == "ephemeral");
    CHECK(note->params["replace_original"] == false);
    CHECK(text_of(*note).find("has had an update since") != std::string::npos);
    CHECK(s.updates_in_channel().size() == 2);  // nothing recorded
    auto update = s.slack.wait_for_call("chat.update", 3s);
    REQUIRE(update);  // and the out-of-date buttons are gone
    CHECK_FALSE(has_buttons_for(update->params["blocks"], eng42));
  }
  SECTION("already done") {
    s.status("ENG-42 done", "U222");
    REQUIRE(s.click(nudge_action::done, encode_nudge_button(eng42), blocks));
    auto note = s.slack.wait_for_call(FakeSlack::response_url_method, 3s);
    REQUIRE(note);
    CHECK(text_of(*note).find("already done") != std::string::npos);
    CHECK(s.updates_in_channel().size() == 2);
  }
  SECTION("a button this version does not know") {
    REQUIRE(s.click("nudge.celebrate", encode_nudge_button(eng42), blocks));
    auto note = s.slack.wait_for_call(FakeSlack::response_url_method, 3s);
    REQUIRE(note);
    CHECK(note->params["response_type"] == "ephemeral");
    CHECK(text_of(*note).find("can no longer act") != std::string::npos);
    REQUIRE(s.click(nudge_action::done, "garbage", blocks));
    CHECK(s.slack.wait_for_call(FakeSlack::response_url_method, 3s, 2));
    CHECK(s.updates_in_channel().size() == 1);
    CHECK(s.slack.calls("chat.update").empty());
  }
}

TEST_CASE("unreadable interactive payloads and forms that are not ours are acknowledged, and nothing breaks",
          "[nudge][app][security]") {
  Scenario s;
  const NudgeButtonValue eng42{"C111", "ENG-42", s.status("ENG-42 on track")};

  // A block_actions payload without its actions, an interactive type we do not use, a form of
  // another app, and our form with its context tampered with.
  const auto broken = s.next_envelope();
  s.slack.send_envelope({{"envelope_id", broken}, {"type", "interactive"}, {"accepts_response_payload", false},
                         {"payload", {{"type", "block_actions"}, {"team", {{"id", "T111"}}}}}});
  CHECK(s.slack.wait_for_ack(broken, 3s));
  const auto shortcut = s.next_envelope();
  s.slack.send_envelope({{"envelope_id", shortcut}, {"type", "interactive"}, {"accepts_response_payload", false},
                         {"payload", {{"type", "shortcut"}, {"callback_id", "x"}}}});
  CHECK(s.slack.wait_for_ack(shortcut, 3s));
  const auto foreign = s.next_envelope();
  s.slack.send_envelope(view_submission(foreign, "someone.elses_form", "{}", nlohmann::json::object(), "U111"));
  auto foreign_ack = s.slack.wait_for_ack(foreign, 3s);
  REQUIRE(foreign_ack);
  CHECK_FALSE((foreign_ack->contains("payload") && (*foreign_ack)["payload"].contains("response_action")));
  const auto tampered = s.next_envelope();
  const auto values = nlohmann::json::parse(R"({"note": {"note": {"type": "plain_text_input", "value": "hi"}}})");
  s.slack.send_envelope(view_submission(tampered, "nudge.update_form", "{\"ticket\": \"<!channel>\"}", values, "U111"));
  auto tampered_ack = s.slack.wait_for_ack(tampered, 3s);
  REQUIRE(tampered_ack);
  CHECK((*tampered_ack)["payload"]["response_action"] == "errors");

  CHECK(s.updates_in_channel().size() == 1);
  // And the bot still answers a real click.
  REQUIRE(s.click(nudge_action::done, encode_nudge_button(eng42), dm_blocks({eng42})));
  CHECK(s.updates_in_channel().back().parsed.state == TicketState::done);
}
