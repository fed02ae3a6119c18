#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "microalign/slack/payloads.hpp"

using namespace microalign::slack;

namespace {

nlohmann::json load(const std::string& relative) {
  std::ifstream in(std::string(MICROALIGN_SAMPLES_DIR) + "/" + relative);
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("a real slash command envelope gives every field we use", "[payloads]") {
  std::string why;
  auto c = read_slash_command(load("envelopes/slash_commands.json")["payload"], why);
  REQUIRE(c);
  CHECK(c->team == "T111");
  CHECK(c->channel == "C111");
  CHECK(c->user == "U111");
  CHECK(c->user_name == "testxyz");
  CHECK(c->command == "/hello-socket-mode");
  CHECK(c->text.empty());
  CHECK(c->response_url == "https://hooks.slack.com/commands/T111/111/xxx");
}

TEST_CASE("every field Slack has ever sent in a slash command is tolerated", "[payloads]") {
  // The sample has every field with its value blanked: blank ids are refused, by name…
  auto payload = load("fields/slash-command-payload.json");
  std::string why;
  CHECK_FALSE(read_slash_command(payload, why));
  CHECK(why == "missing field `team_id`");
  // …and with values filled in, the extra fields (enterprise_*, is_enterprise_install) are fine.
  for (auto& [key, value] : payload.items()) {
    if (value.is_string()) value = "x-" + key;
  }
  auto c = read_slash_command(payload, why);
  REQUIRE(c);
  CHECK(c->command == "x-command");
}

TEST_CASE("a slash command missing what we need is refused with the field's name", "[payloads]") {
  std::string why;
  auto payload = load("envelopes/slash_commands.json")["payload"];
  payload.erase("channel_id");
  CHECK_FALSE(read_slash_command(payload, why));
  CHECK(why == "missing field `channel_id`");
  payload["channel_id"] = 42;
  CHECK_FALSE(read_slash_command(payload, why));
  CHECK_FALSE(read_slash_command(nlohmann::json::array(), why));
}

TEST_CASE("a real app_mention gives the event id, place and text", "[payloads]") {
  const auto payload = load("envelopes/events_api-app_mention.json")["payload"];
  CHECK(event_type(payload) == "app_mention");
  CHECK(event_id(payload) == "Ev111");
  std::string why;
  auto m = read_mention(payload, why);
  REQUIRE(m);
  CHECK(m->channel == "C111");
  CHECK(m->user == "U222");
  CHECK(m->text == "<@U111>");
  CHECK(m->ts == "1610241741.000200");
  CHECK(m->thread_ts.empty());
}

TEST_CASE("a mention in a thread keeps its parent", "[payloads]") {
  auto payload = load("envelopes/events_api-app_mention.json")["payload"];
  payload["event"]["thread_ts"] = "1610241700.000100";
  std::string why;
  auto m = read_mention(payload, why);
  REQUIRE(m);
  CHECK(m->thread_ts == "1610241700.000100");
}

TEST_CASE("an event without its event object is refused", "[payloads]") {
  std::string why;
  CHECK_FALSE(read_mention(nlohmann::json{{"event_id", "Ev1"}, {"team_id", "T1"}}, why));
  CHECK(why == "missing `event`");
  CHECK(event_type(nlohmann::json::object()).empty());
}

TEST_CASE("display names come from users.info in the order people recognise", "[payloads]") {
  nlohmann::json reply{{"ok", true},
                       {"user", {{"name", "jdoe"}, {"real_name", "Jane Doe"}, {"profile", {{"display_name", "jane"}}}}}};
  CHECK(user_display_name(reply) == "jane");
  reply["user"]["profile"]["display_name"] = "";
  CHECK(user_display_name(reply) == "Jane Doe");
  CHECK(user_display_name(nlohmann::json::object()).empty());
  CHECK(user_display_name(load("api/users.info.json")).empty());
  reply["user"]["tz"] = "Europe/Berlin";
  CHECK(user_time_zone(reply) == "Europe/Berlin");
  CHECK(user_time_zone(nlohmann::json::object()).empty());
}

TEST_CASE("a real block_actions envelope (a select in a view) is read without a message", "[payloads][interactive]") {
  const auto payload = load("envelopes/interactive-block_actions-large.json")["payload"];
  CHECK(interactive_type(payload) == "block_actions");
  std::string why;
  auto a = read_block_action(payload, why);
  REQUIRE(a);
  CHECK(a->team == "T12345678");
  CHECK(a->user == "U12345678");
  CHECK(a->action_id == "a");
  CHECK(a->value.empty());           // a select has no button value
  CHECK(a->message_blocks.empty());  // in a view, not a message
  CHECK(a->trigger_id == "3701415066658.3485157640.72f11de3d52bb9593d6931af772a323e");
}

TEST_CASE("every field Slack has ever sent in block_actions is tolerated", "[payloads][interactive]") {
  auto payload = load("fields/block-actions-payload.json");
  std::string why;
  CHECK_FALSE(read_block_action(payload, why));  // blank ids are refused, by name
  CHECK(why == "missing field `id`");
  payload["team"]["id"] = "T1";
  payload["user"]["id"] = "U1";
  payload["user"]["name"] = "ada";
  payload["actions"][0]["action_id"] = "nudge.done";
  payload["actions"][0]["value"] = "C1 ENG-1 7";
  payload["container"]["channel_id"] = "D1";
  payload["container"]["message_ts"] = "1.2";
  payload["response_url"] = "https://hooks.slack.com/actions/T1/1/x";
  auto a = read_block_action(payload, why);
  REQUIRE(a);
  CHECK(a->channel == "D1");
  CHECK(a->message_ts == "1.2");
  CHECK(a->user_name == "ada");
  CHECK(a->value == "C1 ENG-1 7");
  CHECK(a->response_url == "https://hooks.slack.com/actions/T1/1/x");
  CHECK(nlohmann::json::parse(a->message_blocks).is_array());

  payload.erase("actions");
  CHECK_FALSE(read_block_action(payload, why));
}

TEST_CASE("every field Slack has ever sent in view_submission is tolerated, and inputs are flattened",
          "[payloads][interactive]") {
  auto payload = load("fields/view-submission-payload.json");
  CHECK(interactive_type(payload) == "view_submission");
  std::string why;
  CHECK_FALSE(read_view_submission(payload, why));
  payload["team"]["id"] = "T1";
  payload["user"]["id"] = "U1";
  payload["view"]["callback_id"] = "nudge.update_form";
  payload["view"]["private_metadata"] = "{}";
  payload["view"]["state"]["values"] = nlohmann::json::parse(R"({
    "state": {"state": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": "at_risk"}}},
    "note": {"note": {"type": "plain_text_input", "value": "review pending"}},
    "empty": {"empty": {"type": "plain_text_input", "value": null}}
  })");
  auto v = read_view_submission(payload, why);
  REQUIRE(v);
  CHECK(v->callback_id == "nudge.update_form");
  CHECK(v->private_metadata == "{}");
  CHECK(v->values == std::map<std::string, std::string>{{"note", "review pending"}, {"state", "at_risk"}});
}
