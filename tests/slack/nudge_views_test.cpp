#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/nudge_views.hpp"

using namespace microalign;
using namespace microalign::slack;

TEST_CASE("the update form: the ticket, a state picker and a text box", "[nudge_views]") {
  const auto view = update_form("acme/web#12", {plain("about <!channel>")}, R"({"ticket":"C111 acme/web#12 42"})");
  CHECK(view["type"] == "modal");
  CHECK(view["callback_id"] == update_form_callback_id);
  CHECK(view["title"]["text"] == "Update acme/web#12");
  CHECK(view["private_metadata"] == R"({"ticket":"C111 acme/web#12 42"})");
  REQUIRE(view["blocks"].size() == 3);
  CHECK(view["blocks"][0]["text"]["text"].get<std::string>().find("<!channel>") == std::string::npos);
  CHECK(view["blocks"][1]["block_id"] == "state");
  CHECK(view["blocks"][1]["element"]["options"].size() == 5);
  CHECK(view["blocks"][2]["block_id"] == "note");
  CHECK(view["blocks"][2]["element"]["multiline"] == true);

  CHECK(update_form("a-very-long-org/with-a-long-repo#12345", {}, "{}")["title"]["text"] == "Post an update");
}

TEST_CASE("the form's inputs are read by field, and its problems shown under them", "[nudge_views]") {
  const auto both = form_values({{"state", "blocked"}, {"note", "review tomorrow"}, {"other", "x"}});
  CHECK(both.state == "blocked");
  CHECK(both.note == "review tomorrow");
  const auto none = form_values({});
  CHECK(none.state.empty());
  CHECK(none.note.empty());

  const auto ack = form_errors({{"note", "Write a line"}});
  CHECK(ack["response_action"] == "errors");
  CHECK(ack["errors"]["note"] == "Write a line");
}

TEST_CASE("a DM as Slack shows it reads back as the message we rendered", "[nudge_views]") {
  Message dm;
  dm.blocks.emplace_back(Section{{plain("ENG-1 in "), channel_ref("C1", "web"), plain(" — <!here> & co")}});
  dm.blocks.emplace_back(Actions{{Button{"Still on track", "nudge.on_track", "C1 ENG-1 5", Button::Style::primary},
                                  Button{"Done", "nudge.done", "C1 ENG-1 5", Button::Style::normal}}});
  dm.blocks.emplace_back(Divider{});
  dm.blocks.emplace_back(Context{{plain("👍 Noted")}});
  auto blocks = to_block_kit(dm)["blocks"];
  for (auto& b : blocks) b["block_id"] = "auto";  // Slack names blocks itself when we don't

  const auto shown = from_block_kit(blocks);
  REQUIRE(shown);
  CHECK(to_block_kit(*shown)["blocks"] == to_block_kit(dm)["blocks"]);  // renders the same again
  CHECK(std::get<Actions>(shown->blocks.at(1)).buttons.at(0).value == "C1 ENG-1 5");

  CHECK_FALSE(from_block_kit(nlohmann::json::object()));
  CHECK_FALSE(from_block_kit(nlohmann::json::parse(R"([{"type":"image","image_url":"x"}])")));
  CHECK_FALSE(from_block_kit(nlohmann::json::parse(R"([{"type":"actions","elements":[{"type":"static_select"}]}])")));
}

// Regression: block_from read fields with json::value(), which throws when a field holds another
// type; the interaction's envelope then failed and Slack redelivered it, to fail again.
TEST_CASE("blocks whose fields hold odd types read as absent, never thrown", "[nudge_views]") {
  const auto read = [](const char* blocks) { return from_block_kit(nlohmann::json::parse(blocks)); };
  CHECK_NOTHROW(read(R"([{"type":7}])"));
  CHECK_FALSE(read(R"([{"type":7}])"));

  const auto section = read(R"([{"type":"section","text":"not an object"},{"type":"section","text":{"text":[1]}}])");
  REQUIRE(section);
  CHECK(std::get<Section>(section->blocks.at(0)).text.empty());
  CHECK(std::get<Section>(section->blocks.at(1)).text.empty());

  CHECK_FALSE(read(R"([{"type":"context","elements":"not an array"}])"));
  const auto context = read(R"([{"type":"context","elements":[7,{"text":null}]}])");
  REQUIRE(context);
  CHECK(std::get<Context>(context->blocks.at(0)).text.empty());

  const auto actions = read(
      R"([{"type":"actions","elements":[{"type":"button","text":"Done","action_id":5,"value":["v"],"style":{}}]}])");
  REQUIRE(actions);
  const auto& button = std::get<Actions>(actions->blocks.at(0)).buttons.at(0);
  CHECK(button.label.empty());
  CHECK(button.action_id.empty());
  CHECK(button.value.empty());
  CHECK(button.style == Button::Style::normal);
}
