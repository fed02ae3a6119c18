// Messages as Adaptive Cards for Teams: what people see (escaped, never markup they did not
// mean), what a click brings back, and the size Teams accepts.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "microalign/core/nudge_message.hpp"
#include "microalign/core/text.hpp"
#include "microalign/core/update_form.hpp"
#include "microalign/teams/adaptive_card.hpp"

namespace microalign::teams {
namespace {

using nlohmann::json;

std::string md(const RichText& text) { return to_markdown(text).text; }
std::string md(std::string text) { return md(RichText{plain(std::move(text))}); }

// What CommonMark shows for escaped text: each backslash before ASCII punctuation goes.
std::string shown(std::string_view markdown) {
  std::string out;
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    if (markdown[i] == '\\' && i + 1 < markdown.size() && std::ispunct(static_cast<unsigned char>(markdown[i + 1]))) {
      ++i;
    }
    out += markdown[i];
  }
  return out;
}

// True when `c` appears in `markdown` only escaped (after an odd run of backslashes).
bool only_escaped(std::string_view markdown, char c) {
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    if (markdown[i] != c) continue;
    std::size_t slashes = 0;
    while (slashes < i && markdown[i - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) return false;
  }
  return true;
}

Message sections(int count, const std::string& text) {
  Message m;
  m.fallback = "many";
  for (int i = 0; i < count; ++i) m.blocks.emplace_back(Section{{plain(text + " " + std::to_string(i))}});
  return m;
}

const json& card_of(const json& activity) { return activity["attachments"][0]["content"]; }
const json& body_of(const json& activity) { return card_of(activity)["body"]; }

TEST_CASE("every character that could be markup stays literal", "[teams][markdown]") {
  const std::string typed =
      R"(*bold* _it_ `code` [x](https://evil.example) <b>&amp; ~~s~~ {{DATE(2026-01-01T00:00:00Z)}} \ |)";
  const auto text = md(typed);
  CHECK(shown(text) == typed);
  for (const char c : std::string_view("*_`[]()<>&~{}")) {
    INFO(c);
    CHECK(only_escaped(text, c));
  }
  CHECK(text.find("](") == std::string::npos);  // no link syntax, even for a parser ignoring escapes
  CHECK(text.find("{{") == std::string::npos);  // no DATE()/TIME() function
  CHECK(md("a * b") == "a \\* b");
  CHECK(md("snake_case_name") == "snake\\_case\\_name");
}

TEST_CASE("what starts a block is escaped where a block can start", "[teams][markdown]") {
  CHECK(md("- item") == "\\- item");
  CHECK(md("+ item") == "\\+ item");
  CHECK(md("# heading") == "\\# heading");
  CHECK(md("> quote") == "\\> quote");
  CHECK(md("1. first") == "1\\. first");
  CHECK(md("2026. a year") == "2026\\. a year");
  CHECK(md("1) first") == "1\\) first");
  CHECK(md("---") == "\\---");
  // Mid-line they are text, in every client.
  CHECK(md("a - b + c #eng 1. x") == "a - b + c #eng 1. x");
  // A line break starts a block; so does a bracket, in the mobile clients' parser.
  CHECK(md("done\n- next") == "done\n\n\\- next");
  CHECK(md("x)- y") == "x\\)\\- y");
  CHECK(md("[1. a]") == "\\[1\\. a\\]");
  // Across spans too.
  CHECK(md({plain("done\n"), plain("- next")}) == "done\n\n\\- next");
  CHECK(md({plain("done\n"), channel_ref("C1", "eng")}) == "done\n\n\\#eng");
}

TEST_CASE("line breaks become paragraph breaks, and indentation goes", "[teams][markdown]") {
  CHECK(md("one\ntwo") == "one\n\ntwo");
  CHECK(md("one\r\n\n\ntwo") == "one\n\ntwo");
  CHECK(md("\n\none\n\n") == "one");
  CHECK(md("code:\n    indented") == "code:\n\nindented");
  CHECK(md("a\tb") == "a b");
  CHECK(md("bell\x07 and \x1b[31m") == "bell and \\[31m");
}

TEST_CASE("a user typing <at> mentions nobody", "[teams][markdown][mentions]") {
  const auto text = to_markdown({plain("<at>Ana</at> look")});
  CHECK(text.text == "\\<at\\>Ana\\</at\\> look");
  CHECK(text.mentions.empty());
  Message m;
  m.blocks.emplace_back(Section{{plain("<at>Ana</at>")}});
  CHECK_FALSE(card_of(to_teams_activity(m)).contains("msteams"));
}

TEST_CASE("people are named, and pinged only when the span says so", "[teams][markdown][mentions]") {
  CHECK(md({user_ref("29:ana", "ana", false)}) == "@ana");
  CHECK(md({user_ref("29:ana", "ana_b*", false)}) == "@ana\\_b\\*");
  CHECK(to_markdown({user_ref("29:ana", "ana", false)}).mentions.empty());

  const auto pinged = to_markdown({plain("hi "), user_ref("29:ana", "Ana Lima", true)});
  CHECK(pinged.text == "hi <at>Ana Lima</at>");
  REQUIRE(pinged.mentions.size() == 1);
  CHECK(pinged.mentions[0] == Mention{"<at>Ana Lima</at>", "29:ana", "Ana Lima"});
  // A name that could end the tag or be markup loses those characters.
  CHECK(to_markdown({user_ref("29:x", "a<b>*c", true)}).text == "<at>a b c</at>");

  Message m;
  m.blocks.emplace_back(Section{{user_ref("29:ana", "Ana", true), plain(" and "), user_ref("29:ana", "Ana", true)}});
  const auto activity = to_teams_activity(m);
  CHECK_FALSE(activity.contains("entities"));
  CHECK(card_of(activity)["msteams"]["entities"] ==
        json::parse(R"([{"type":"mention","text":"<at>Ana</at>","mentioned":{"id":"29:ana","name":"Ana"}}])"));
}

TEST_CASE("channels show as #name", "[teams][markdown]") {
  CHECK(md({plain("in "), channel_ref("19:abc@thread.tacv2", "eng")}) == "in #eng");
}

TEST_CASE("links only to http(s) and mailto, and only when they cannot break out", "[teams][markdown][links]") {
  CHECK(md({link("the PR", "https://github.com/acme/web/pull/9")}) == "[the PR](https://github.com/acme/web/pull/9)");
  CHECK(md({link("mail", "mailto:a@b.io")}) == "[mail](mailto:a@b.io)");
  CHECK(md({link("", "HTTPS://x.io/a_b")}) == "[HTTPS://x.io/a\\_b](HTTPS://x.io/a_b)");
  CHECK(md({link("[x]", "https://x.io")}) == "[\\[x\\]](https://x.io)");
  CHECK(md({link("click", "javascript:alert(1)")}) == "click");
  CHECK(md({link("a", "https://x.io/a)b")}) == "a");
  CHECK(md({link("a", "https://x.io/a b")}) == "a");
  CHECK(md({link("a", "https://x.io/<b>")}) == "a");
  CHECK(md({link("a", "https://x.io/\\")}) == "a");
  CHECK(md({link("a", "ftp://x.io")}) == "a");
  Span bold_link = link("ENG-42", "https://x.io/ENG-42");
  bold_link.style = Span::Style::bold;
  CHECK(md({bold_link}) == "**[ENG-42](https://x.io/ENG-42)**");
}

TEST_CASE("styles wrap each line's escaped text", "[teams][markdown]") {
  CHECK(md({plain("a "), bold("b"), plain(" "), italic("c")}) == "a **b** _c_");
  CHECK(md({plain("a"), bold(" b* ")}) == "a **b\\*** ");
  CHECK(md({bold("one\ntwo")}) == "**one**\n\n**two**");
  CHECK(md({bold("")}) == "");
  CHECK(md({bold("  ")}) == "");
  CHECK(md({code("@microalign tickets")}) == "`@microalign tickets`");
  CHECK(md({code("ticket acme/web#9")}) == "`ticket acme/web#9`");
  CHECK(md({code("a*b")}) == "\\`a\\*b\\`");
  CHECK(md({code("x`y")}) == "\\`x\\`y\\`");
  CHECK(md({plain("a"), code(""), italic(""), plain("b")}) == "ab");
}

TEST_CASE("a long text block is cut between characters and shows the cut", "[teams][markdown]") {
  const auto text = md(std::string(10'000, '*'));
  CHECK(text.size() <= max_text_block_bytes);
  CHECK(text.ends_with("\\*…"));
  const auto short_cut = to_markdown({plain("ab"), link("label", "https://x.io")}, 12).text;
  CHECK(short_cut == "ablabel…");
  CHECK(to_markdown({plain("é\\é")}, 6).text == "é\\\\é");
  CHECK(to_markdown({plain("é\\é")}, 5).text == "é…");  // never half an escape
}

TEST_CASE("invalid UTF-8 becomes U+FFFD, so the card always serialises", "[teams][utf8]") {
  const std::string bad = "a\xFF\xC3(b\xE2\x82";
  Message m;
  m.fallback = bad;
  m.blocks.emplace_back(Section{{plain(bad), link(bad, "https://x.io/\xFF"), user_ref("29:\xFF", bad, true)}});
  m.blocks.emplace_back(Context{{code(bad), channel_ref("C\xFF", bad)}});
  m.blocks.emplace_back(Actions{{Button{bad, bad, bad, Button::Style::primary}}});
  const auto activity = to_teams_activity(m);
  std::string dumped;
  REQUIRE_NOTHROW(dumped = activity.dump());
  CHECK(dumped.find(replacement_character) != std::string::npos);
  CHECK(sanitize_utf8(dumped) == dumped);
}

TEST_CASE("the activity carries the fallback as its summary and the card as its only attachment", "[teams][card]") {
  Message m;
  m.fallback = "ENG-42 is blocked";
  m.blocks.emplace_back(Section{{bold("ENG-42"), plain(" is blocked")}});
  m.blocks.emplace_back(Divider{});
  m.blocks.emplace_back(Context{{plain("posted by @ana")}});
  const auto activity = to_teams_activity(m);
  CHECK(activity["type"] == "message");
  CHECK(activity["summary"] == "ENG-42 is blocked");
  CHECK_FALSE(activity.contains("text"));  // text and a card in one activity: Teams splits it
  REQUIRE(activity["attachments"].size() == 1);
  CHECK(activity["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive");
  const auto& card = card_of(activity);
  CHECK(card["type"] == "AdaptiveCard");
  CHECK(card["version"] == "1.3");
  CHECK(card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json");
  CHECK(card["body"] == json::parse(R"([
    {"type": "TextBlock", "text": "**ENG-42** is blocked", "wrap": true},
    {"type": "TextBlock", "text": "posted by @ana", "wrap": true, "size": "Small", "isSubtle": true,
     "separator": true}])"));
  CHECK(to_adaptive_card(m) == card);
}

TEST_CASE("empty blocks are left out, and an empty message makes an empty card", "[teams][card]") {
  Message m;
  m.blocks = {Section{}, Context{{plain("\n \n")}}, Actions{}, Divider{}};
  auto activity = to_teams_activity(m);
  CHECK(body_of(activity) == json::array());
  CHECK_FALSE(activity.contains("summary"));
  CHECK_NOTHROW(activity.dump());

  m.fallback = "Saved: ENG-42 *on track*";
  activity = to_teams_activity(m);
  CHECK(body_of(activity) ==
        json::parse(R"([{"type": "TextBlock", "text": "Saved: ENG-42 \\*on track\\*", "wrap": true}])"));
}

TEST_CASE("buttons submit their action id and value", "[teams][card][buttons]") {
  Message m;
  m.blocks.emplace_back(Section{{plain("Turn the digest off?")}});
  m.blocks.emplace_back(Actions{{Button{"Keep", "digest.keep", "C1", Button::Style::primary},
                                 Button{"Turn off", "digest.off", "C1", Button::Style::danger},
                                 Button{"Later", "digest.later", "", Button::Style::normal}}});
  const auto activity = to_teams_activity(m);
  const auto& body = body_of(activity);
  REQUIRE(body.size() == 2);
  CHECK(body[1] == json::parse(R"({"type": "ActionSet", "actions": [
    {"type": "Action.Submit", "title": "Keep", "style": "positive",
     "data": {"microalign": {"action_id": "digest.keep", "value": "C1"}}},
    {"type": "Action.Submit", "title": "Turn off", "style": "destructive",
     "data": {"microalign": {"action_id": "digest.off", "value": "C1"}}},
    {"type": "Action.Submit", "title": "Later",
     "data": {"microalign": {"action_id": "digest.later", "value": ""}}}]})"));

  Message many;
  many.blocks.emplace_back(Actions{std::vector<Button>(10, Button{"b", "a", "v"})});
  CHECK(body_of(to_teams_activity(many))[0]["actions"].size() == 6);
}

TEST_CASE("a click brings the button's data back", "[teams][clicks]") {
  const auto click =
      read_card_click(json::parse(R"({"microalign": {"action_id": "nudge.done", "value": "C1 ENG-42 7"}})"));
  REQUIRE(click);
  CHECK(*click == CardClick{"nudge.done", "C1 ENG-42 7", {}});

  const auto invalid = read_card_click(json{{"microalign", {{"action_id", "a\xFF"}, {"value", "v"}}}});
  REQUIRE(invalid);
  CHECK(invalid->action_id == "a" + std::string(replacement_character));

  CHECK_FALSE(read_card_click(json::parse(R"("text")")));
  CHECK_FALSE(read_card_click(json::parse(R"({"action_id": "x", "value": "y"})")));
  CHECK_FALSE(read_card_click(json::parse(R"({"microalign": {"action_id": 1, "value": "y"}})")));
  CHECK_FALSE(read_card_click(json::parse(R"({"microalign": {"action_id": "x"}})")));
}

NudgeCandidate quiet_ticket(std::string key, std::int64_t id) {
  NudgeCandidate c;
  c.team = "T1";
  c.channel = "19:eng@thread.tacv2";
  auto& t = c.ticket;
  t.key = std::move(key);
  t.owner = "29:alice";
  t.state = TicketState::on_track;
  t.last_update.id = id;
  t.last_update.user = "29:alice";
  t.last_update.parsed.kind = UpdateKind::status;
  t.last_update.parsed.state = TicketState::on_track;
  t.last_update.parsed.tickets = {t.key};
  t.last_update.parsed.text = t.key + " on track, *review* [pending](javascript:x)";
  return c;
}

TEST_CASE("a nudge DM: each ticket's buttons, with the update form inside the card", "[teams][card][nudge]") {
  const NudgePlan plan{"29:alice", {quiet_ticket("ENG-42", 7), quiet_ticket("ENG-7", 9)}};
  NudgeDmContext context;
  context.spelling = {"@microalign ", "@microalign ", "add microalign to the team"};
  const auto dm = render_nudge_dm(plan, context, SysTime{std::chrono::hours{24 * 3}});
  const auto activity = to_teams_activity(dm);
  CHECK(activity["summary"] == dm.fallback);
  const auto& body = body_of(activity);
  REQUIRE(body.size() == 5);  // the opening line, then per ticket its text and its buttons
  CHECK(body[1]["text"].get<std::string>().find("\\*review\\* \\[pending\\]\\(javascript:x\\)") != std::string::npos);

  for (const int ticket : {1, 2}) {
    const auto& actions = body[2 * ticket]["actions"];
    REQUIRE(actions.size() == 4);
    const auto value =
        encode_nudge_button({"19:eng@thread.tacv2", ticket == 1 ? "ENG-42" : "ENG-7", ticket == 1 ? 7 : 9});
    const auto data_of = [&](std::string_view action) {
      return json{{"microalign", {{"action_id", std::string(action)}, {"value", value}}}};
    };
    CHECK(actions[0]["type"] == "Action.Submit");
    CHECK(actions[0]["style"] == "positive");
    CHECK(actions[0]["data"] == data_of(nudge_action::on_track));
    CHECK(actions[2]["data"] == data_of(nudge_action::snooze));
    CHECK(actions[3]["data"] == data_of(nudge_action::done));

    const auto& form = actions[1];
    CHECK(form["type"] == "Action.ShowCard");
    CHECK(form["title"] == "Post an update");
    const auto number = std::to_string(ticket);
    const auto& inputs = form["card"]["body"];
    REQUIRE(inputs.size() == 2);
    CHECK(inputs[0]["type"] == "Input.ChoiceSet");
    CHECK(inputs[0]["id"] == "state." + number);
    CHECK(inputs[0]["style"] == "compact");
    CHECK_FALSE(inputs[0].contains("isRequired"));
    std::vector<std::string> values;
    for (const auto& choice : inputs[0]["choices"]) values.push_back(choice["value"]);
    CHECK(values == std::vector<std::string>{"on_track", "at_risk", "delayed", "blocked", "done"});
    CHECK(inputs[0]["choices"][3]["title"] == "🔴 blocked");
    CHECK(inputs[1]["type"] == "Input.Text");
    CHECK(inputs[1]["id"] == "note." + number);
    CHECK(inputs[1]["isMultiline"] == true);
    CHECK(inputs[1]["maxLength"] == 3000);
    auto post_data = data_of(nudge_action::post_update);
    post_data["microalign"]["form"] = {{"state", "state." + number}, {"note", "note." + number}};
    REQUIRE(form["card"]["actions"].size() == 1);
    CHECK(form["card"]["actions"][0]["title"] == "Post");
    CHECK(form["card"]["actions"][0]["data"] == post_data);

    // What Teams sends back on Post: the data merged with the form's inputs.
    auto value_sent = post_data;
    value_sent["state." + number] = "blocked";
    value_sent["note." + number] = "waiting on OPS-7";
    const auto click = read_card_click(value_sent);
    REQUIRE(click);
    CHECK(click->action_id == nudge_action::post_update);
    CHECK(click->value == value);
    CHECK(click->fields ==
          std::map<std::string, std::string>{{std::string(update_form_field::state), "blocked"},
                                             {std::string(update_form_field::note), "waiting on OPS-7"}});
    // Fields left empty may be missing.
    const auto empty = read_card_click(post_data);
    REQUIRE(empty);
    CHECK(empty->fields == std::map<std::string, std::string>{{"state", ""}, {"note", ""}});
  }
}

TEST_CASE("an answered DM keeps its other buttons", "[teams][card][nudge]") {
  const NudgePlan plan{"29:alice", {quiet_ticket("ENG-42", 7), quiet_ticket("ENG-7", 9)}};
  auto dm = render_nudge_dm(plan, NudgeDmContext{}, SysTime{std::chrono::hours{24 * 3}});
  REQUIRE(answer_in_place(dm, encode_nudge_button({"19:eng@thread.tacv2", "ENG-42", 7}), {plain("👍 Noted")}));
  const auto activity = to_teams_activity(dm);
  const auto& body = body_of(activity);
  REQUIRE(body.size() == 5);
  CHECK(body[2]["text"] == "👍 Noted");
  CHECK(body[4]["type"] == "ActionSet");
  CHECK(body[4]["actions"][1]["card"]["body"][0]["id"] == "state.1");
}

TEST_CASE("UTF-16 sizes", "[teams][budget]") {
  CHECK(utf16_bytes("") == 0);
  CHECK(utf16_bytes("ab") == 4);
  CHECK(utf16_bytes("é€") == 4);
  CHECK(utf16_bytes("😀") == 4);
}

TEST_CASE("a message past the budget drops whole blocks from the end and says so", "[teams][budget]") {
  const auto m = sections(400, std::string(200, 'x') + " 🟢 état");
  const auto activity = to_teams_activity(m);
  CHECK(utf16_bytes(activity.dump()) <= activity_budget_bytes);
  const auto& body = body_of(activity);
  REQUIRE(body.size() > 10);
  const auto shown = body.size() - 1;
  CHECK(body[0]["text"].get<std::string>().ends_with(" 0"));
  CHECK(body[shown - 1]["text"].get<std::string>().ends_with(" " + std::to_string(shown - 1)));
  CHECK(body.back()["text"] == "…and " + std::to_string(400 - shown) + " more not shown");
  CHECK(body.back()["isSubtle"] == true);
  // Nearly full: one more section would not have fitted.
  CHECK(utf16_bytes(activity.dump()) + utf16_bytes(body[1].dump()) > activity_budget_bytes);
}

TEST_CASE("a ticket still shown keeps its buttons", "[teams][budget]") {
  Message m;
  m.fallback = "quiet tickets";
  m.blocks.emplace_back(Section{{plain("Hi!")}});
  for (int i = 0; i < 60; ++i) {
    m.blocks.emplace_back(Divider{});
    m.blocks.emplace_back(Section{{plain("ENG-" + std::to_string(i) + " " + std::string(300, 'z'))}});
    m.blocks.emplace_back(
        Actions{{Button{"Still on track", std::string(nudge_action::on_track), "v" + std::to_string(i)},
                 Button{"Post an update", std::string(nudge_action::post_update), "v" + std::to_string(i)}}});
  }
  const auto activity = to_teams_activity(m);
  CHECK(utf16_bytes(activity.dump()) <= activity_budget_bytes);
  const auto& body = body_of(activity);
  REQUIRE(body.size() % 2 == 0);  // the opening line, pairs of text and buttons, the note
  for (std::size_t i = 1; i + 1 < body.size(); i += 2) {
    CHECK(body[i]["type"] == "TextBlock");
    CHECK(body[i]["separator"] == true);
    CHECK(body[i + 1]["type"] == "ActionSet");
  }
  const auto tickets_shown = (body.size() - 2) / 2;
  CHECK(body.back()["text"] == "…and " + std::to_string(60 - tickets_shown) + " more not shown");
  CHECK(body.back()["separator"] == true);
}

TEST_CASE("the first block is kept whatever its size", "[teams][budget]") {
  Message m;
  m.blocks.emplace_back(Section{{plain(std::string(100'000, '<'))}});
  m.blocks.emplace_back(Section{{plain(std::string(100'000, '<'))}});
  m.blocks.emplace_back(Section{{plain(std::string(100'000, '<'))}});
  const auto activity = to_teams_activity(m);
  CHECK(utf16_bytes(activity.dump()) <= activity_budget_bytes);
  REQUIRE(body_of(activity).size() == 2);
  CHECK(body_of(activity).back()["text"] == "…and 2 more not shown");
}

}  // namespace
}  // namespace microalign::teams
