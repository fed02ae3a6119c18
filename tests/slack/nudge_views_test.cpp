#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "microalign/slack/nudge_views.hpp"

using namespace microalign;
using namespace microalign::slack;

namespace {

const UpdateFormContext context{{"C111", "acme/web#12", 42}, "D111", "1700000000.000100"};

nlohmann::json buttons(const std::string& value) {
  nlohmann::json block;
  block["type"] = "actions";
  block["block_id"] = "auto-" + value;  // Slack names blocks itself when we don't
  for (const auto* id : {"nudge.on_track", "nudge.done"}) {
    block["elements"].push_back({{"type", "button"}, {"action_id", id}, {"value", value}});
  }
  return block;
}

}  // namespace

TEST_CASE("the form's context survives its trip through private_metadata", "[nudge_views]") {
  CHECK(decode_form_context(encode_form_context(context)) == context);
  CHECK_FALSE(decode_form_context(""));
  CHECK_FALSE(decode_form_context("not json"));
  CHECK_FALSE(decode_form_context(R"({"ticket": "no id"})"));
}

TEST_CASE("the update form: the ticket, a state picker and a text box", "[nudge_views]") {
  const auto view = update_form(context, {plain("about <!channel>")});
  CHECK(view["type"] == "modal");
  CHECK(view["callback_id"] == update_form_callback_id);
  CHECK(view["title"]["text"] == "Update acme/web#12");
  CHECK(view["private_metadata"].get<std::string>().size() < 3000);
  REQUIRE(view["blocks"].size() == 3);
  CHECK(view["blocks"][0]["text"]["text"].get<std::string>().find("<!channel>") == std::string::npos);
  CHECK(view["blocks"][1]["block_id"] == "state");
  CHECK(view["blocks"][1]["element"]["options"].size() == 5);
  CHECK(view["blocks"][2]["block_id"] == "note");
  CHECK(view["blocks"][2]["element"]["multiline"] == true);

  UpdateFormContext long_key = context;
  long_key.ticket.key = "a-very-long-org/with-a-long-repo#12345";
  CHECK(update_form(long_key, {})["title"]["text"] == "Post an update");
}

TEST_CASE("the form needs a state or a line of text", "[nudge_views]") {
  std::map<std::string, std::string> problem;
  CHECK_FALSE(read_update_form({}, problem));
  CHECK(problem.count("note") == 1);

  problem.clear();
  CHECK_FALSE(read_update_form({{"note", "  \n"}}, problem));

  problem.clear();
  CHECK_FALSE(read_update_form({{"state", "sleepy"}}, problem));
  CHECK(problem.count("state") == 1);

  problem.clear();
  auto state_only = read_update_form({{"state", "blocked"}}, problem);
  REQUIRE(state_only);
  CHECK(state_only->state == TicketState::blocked);
  CHECK(state_only->note.empty());

  auto note_only = read_update_form({{"note", "review tomorrow"}}, problem);
  REQUIRE(note_only);
  CHECK_FALSE(note_only->state);
  CHECK(note_only->note == "review tomorrow");

  const auto ack = form_errors({{"note", "Write a line"}});
  CHECK(ack["response_action"] == "errors");
  CHECK(ack["errors"]["note"] == "Write a line");
}

TEST_CASE("answering in place replaces only that ticket's buttons, once", "[nudge_views]") {
  auto blocks = nlohmann::json::array();
  blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "ENG-1"}}}});
  blocks.push_back(buttons("C1 ENG-1 5"));
  blocks.push_back(buttons("C1 ENG-2 6"));

  CHECK(answer_in_place(blocks, "C1 ENG-2 6", {plain("done <!here>")}));
  CHECK(blocks[1]["type"] == "actions");
  REQUIRE(blocks[2]["type"] == "context");
  const auto line = blocks[2]["elements"][0]["text"].get<std::string>();
  CHECK(line.find("done") != std::string::npos);
  CHECK(line.find("<!here>") == std::string::npos);

  CHECK_FALSE(answer_in_place(blocks, "C1 ENG-2 6", {plain("again")}));
  CHECK_FALSE(answer_in_place(blocks, "C9 NOPE-1 1", {plain("x")}));
  auto not_blocks = nlohmann::json::object();
  CHECK_FALSE(answer_in_place(not_blocks, "C1 ENG-1 5", {plain("x")}));
}
