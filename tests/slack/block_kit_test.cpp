#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "microalign/slack/block_kit.hpp"

namespace microalign::slack {
namespace {

using nlohmann::json;

TEST_CASE("each block kind has its Block Kit shape") {
  const Message message{
      .fallback = "ENG-42 <on track> & more",
      .blocks = {Section{{bold("ENG-42"), plain(" is on track")}},
                 Context{{plain("by "), user_ref("U1", "alice", false)}}, Divider{},
                 Actions{{Button{"Mark done", "mark_done", "42", Button::Style::primary},
                          Button{"Delete", "delete", "42", Button::Style::danger},
                          Button{"Later", "later", "", Button::Style::normal}}}},
  };
  const auto expected = json::parse(R"({
    "text": "ENG-42 &lt;on track&gt; &amp; more",
    "blocks": [
      {"type": "section", "text": {"type": "mrkdwn", "text": "*ENG-42* is on track", "verbatim": true}},
      {"type": "context", "elements": [{"type": "mrkdwn", "text": "by @alice", "verbatim": true}]},
      {"type": "divider"},
      {"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "Mark done", "emoji": true},
         "action_id": "mark_done", "value": "42", "style": "primary"},
        {"type": "button", "text": {"type": "plain_text", "text": "Delete", "emoji": true},
         "action_id": "delete", "value": "42", "style": "danger"},
        {"type": "button", "text": {"type": "plain_text", "text": "Later", "emoji": true},
         "action_id": "later"}
      ]}
    ]
  })");
  CHECK(to_block_kit(message) == expected);
}

TEST_CASE("long section text is cut to 3000 bytes on a character boundary") {
  std::string long_text;
  for (int i = 0; i < 2000; ++i) long_text += "é&";  // 2 + 5 bytes each once escaped
  const auto blocks =
      to_block_kit(Message{.fallback = "x", .blocks = {Section{{plain(long_text)}}}});
  const auto text = blocks["blocks"][0]["text"]["text"].get<std::string>();
  CHECK(text.size() <= 3000);
  CHECK(text.ends_with("…"));
  CHECK(text.find("&amp…") == std::string::npos);  // never inside an entity
  CHECK_NOTHROW(blocks.dump());
}

TEST_CASE("more than 50 blocks keep 49 and say how many more there were") {
  Message message{.fallback = "many", .blocks = {}};
  for (int i = 0; i < 60; ++i) message.blocks.emplace_back(Section{{plain(std::to_string(i))}});
  const auto blocks = to_block_kit(message)["blocks"];
  REQUIRE(blocks.size() == 50);
  CHECK(blocks[48]["text"]["text"] == "48");
  CHECK(blocks[49]["type"] == "context");
  CHECK(blocks[49]["elements"][0]["text"] == "… and 11 more");
}

TEST_CASE("the fallback is escaped and kept within 40000 bytes") {
  const auto blocks = to_block_kit(Message{.fallback = std::string(50'000, '<'), .blocks = {}});
  const auto text = blocks["text"].get<std::string>();
  CHECK(text.size() <= 40'000);
  CHECK(text.starts_with("&lt;&lt;"));
  CHECK(text.ends_with("&lt;…"));
}

TEST_CASE("blocks Slack would reject are left out") {
  const auto blocks = to_block_kit(
      Message{.fallback = "x", .blocks = {Section{}, Context{{plain("")}}, Actions{}, Divider{}}});
  CHECK(blocks["blocks"] == json::parse(R"([{"type": "divider"}])"));
}

TEST_CASE("buttons stay within Slack's limits") {
  Actions actions;
  for (int i = 0; i < 30; ++i) {
    actions.buttons.push_back(Button{std::string(100, 'b'), "a" + std::to_string(i), "v"});
  }
  const auto blocks = to_block_kit(Message{.fallback = "x", .blocks = {actions}});
  const auto& elements = blocks["blocks"][0]["elements"];
  CHECK(elements.size() == 25);
  CHECK(elements[0]["text"]["text"].get<std::string>().size() <= 75);
}

TEST_CASE("hostile text always serialises and never carries a broadcast") {
  const Message message{
      .fallback = "bad \xFF byte <!channel>",
      .blocks = {Section{{plain("\xC0\xAF <!here>"), link("x\xFF", "javascript:alert(1)")}},
                 Actions{{Button{"\xFF", "id\xFF", "v\xFF"}}}},
  };
  const auto blocks = to_block_kit(message);
  std::string dumped;
  REQUIRE_NOTHROW(dumped = blocks.dump());
  CHECK(dumped.find("<!") == std::string::npos);
  CHECK(dumped.find("javascript") == std::string::npos);
}

}  // namespace
}  // namespace microalign::slack
