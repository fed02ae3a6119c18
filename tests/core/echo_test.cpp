#include <catch2/catch.hpp>

#include "microalign/core/echo.hpp"
#include "microalign/core/notices.hpp"

using namespace microalign;

namespace {

Update status_update() {
  Update u;
  u.id = 1;
  u.where = {"T1", "C1", ""};
  u.user = "U1";
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = TicketState::blocked;
  u.parsed.blocked_on = "OPS-7 review";
  u.parsed.tickets = {"ENG-42", "acme/web#9"};
  u.parsed.links = {"https://acme.atlassian.net/browse/ENG-42"};
  u.parsed.text = "ENG-42 blocked on OPS-7 review";
  return u;
}

const RichText& section_text(const Message& m, std::size_t i) { return std::get<Section>(m.blocks.at(i)).text; }

}  // namespace

TEST_CASE("tickets link to the tracker URL the author gave, GitHub refs always", "[echo]") {
  const std::vector<std::string> links{"https://acme.atlassian.net/browse/ENG-42",
                                       "https://linear.app/acme/issue/OPS-7/fix-it"};
  CHECK(ticket_url("ENG-42", links) == "https://acme.atlassian.net/browse/ENG-42");
  CHECK(ticket_url("OPS-7", links) == "https://linear.app/acme/issue/OPS-7/fix-it");
  CHECK(ticket_url("ENG-4", links).empty());  // a prefix of ENG-42 is not ENG-42
  CHECK(ticket_url("NOPE-1", links).empty());
  CHECK(ticket_url("acme/web#9", {}) == "https://github.com/acme/web/issues/9");
}

TEST_CASE("the echo shows kind, state, tickets, text and author, without pinging", "[echo]") {
  const auto u = status_update();
  const RichText body{plain(u.parsed.text)};
  const auto m = render_echo(u, body, "alice");
  REQUIRE(m.blocks.size() == 3);

  const auto headline = to_plain_text(section_text(m, 0));
  CHECK(headline == "📍 Status · 🔴 blocked on OPS-7 review · ENG-42 · acme/web#9");
  const auto& spans = section_text(m, 0);
  CHECK(std::any_of(spans.begin(), spans.end(), [](const Span& s) {
    return s.text == "ENG-42" && s.url == "https://acme.atlassian.net/browse/ENG-42";
  }));
  CHECK(section_text(m, 1) == body);

  const auto& byline = std::get<Context>(m.blocks.at(2)).text;
  CHECK(to_plain_text(byline) == "from @alice");
  for (const auto& s : byline) CHECK_FALSE(s.mention);
  CHECK(m.fallback == "📍 Status from @alice: ENG-42 blocked on OPS-7 review");
}

TEST_CASE("an assumption's echo says how to answer it", "[echo]") {
  auto u = status_update();
  u.parsed.kind = UpdateKind::assumption;
  u.parsed.state.reset();
  const auto m = render_echo(u, {plain("x")}, "");
  CHECK(to_plain_text(section_text(m, 0)).starts_with("🤔 Assumption (open)"));
  CHECK(to_plain_text(std::get<Context>(m.blocks.at(2)).text) ==
        "from @U1 · reply in the thread or react ✅ to answer it");
}

TEST_CASE("delays show how much", "[echo]") {
  auto u = status_update();
  u.parsed.state = TicketState::delayed;
  u.parsed.delay_days = 2;
  CHECK(to_plain_text(section_text(render_echo(u, {}, "a"), 0)).find("🟠 delayed +2d") != std::string::npos);
}

TEST_CASE("receipts summarise, and explain a status without a state", "[echo]") {
  auto u = status_update();
  CHECK(render_receipt(u).fallback == "Saved: status · blocked · ENG-42 · acme/web#9");
  u.parsed.state.reset();
  CHECK(to_plain_text(section_text(render_receipt(u), 0)).find("No state recognised") != std::string::npos);
}

TEST_CASE("failure notes are specific and say what to do", "[echo]") {
  CHECK(render_not_saved().fallback.find("not recorded") != std::string::npos);
  CHECK(render_not_saved().fallback.find("try again") != std::string::npos);
  CHECK(render_invite_hint(slash_commands("ma")).fallback.find("add me with /invite @ma") != std::string::npos);
  const auto cannot = render_cannot_post("C1", "not_in_channel", slash_commands("ma")).fallback;
  CHECK(cannot.find("(the platform said not_in_channel)") != std::string::npos);
  CHECK(cannot.find("/invite @ma") != std::string::npos);
  CHECK(cannot.find("/microalign digest off") != std::string::npos);
}

TEST_CASE("commands are spelled as people type them where they are", "[echo][spelling]") {
  const auto slack = slash_commands("ma");
  CHECK(slack.spell("status ENG-42 on track") == "/status ENG-42 on track");
  CHECK(slack.spell("heads-up soon") == "/heads-up soon");
  CHECK(slack.spell("heads-up") == "/heads-up");
  CHECK(slack.spell("statuses") == "/microalign statuses");
  CHECK(slack.code("away 3d") == "`/microalign away 3d`");
  const CommandSpelling mentions{"@microalign ", "@microalign ", "Manage apps → add microalign"};
  CHECK(mentions.spell("status ENG-42 on track") == "@microalign status ENG-42 on track");
  CHECK(mentions.spell("tickets") == "@microalign tickets");
}
