// Reading `/decision …`, its refusals, and everything that shows a decision: the echo, the receipt,
// the listing, the ticket timeline, the markdown export and the digest's section.
#include <catch2/catch.hpp>

#include "microalign/core/channel_command.hpp"
#include "microalign/core/decision.hpp"
#include "microalign/core/decision_list.hpp"
#include "microalign/core/digest.hpp"
#include "microalign/core/echo.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/message_command.hpp"
#include "microalign/core/timeline.hpp"

using namespace microalign;

namespace {

const CommandSpelling slack = slash_commands();

ParsedDecision read(std::string_view text) {
  auto read = parse_decision(RichText{plain(std::string(text))}, {}, slack);
  REQUIRE(std::holds_alternative<ParsedDecision>(read));
  return std::get<ParsedDecision>(read);
}

std::string refusal(std::string_view text) {
  auto read = parse_decision(RichText{plain(std::string(text))}, {}, slack);
  REQUIRE(std::holds_alternative<DecisionRefusal>(read));
  return std::get<DecisionRefusal>(read).message;
}

SysTime at(int day, int hour = 10) {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days{2026y / December / day} + hours{hour});
}

Decision stored(std::int64_t id, std::string_view text, SysTime when = at(1)) {
  Decision d;
  d.id = id;
  d.created_at = when;
  d.where = {"T1", "C1", ""};
  d.owner = "U1";
  d.parsed = read(text);
  return d;
}

}  // namespace

TEST_CASE("a decision reads as title, decision, rationale and impact", "[decision]") {
  const auto d = read(
      "Storage: we use PostgreSQL for ENG-42 because replicas share one database impact: ops runs "
      "one more server");
  CHECK(d.title == "Storage");
  CHECK(d.decision == "we use PostgreSQL for ENG-42");
  CHECK(d.rationale == "replicas share one database");
  CHECK(d.impact == "ops runs one more server");
  CHECK(d.tickets == std::vector<std::string>{"ENG-42"});
  CHECK_FALSE(d.supersedes);
}

TEST_CASE("decision phrasings", "[decision]") {
  struct Row {
    std::string_view text, title, decision, rationale, impact;
  };
  const auto rows = std::to_array<Row>({
      {"Storage: PostgreSQL because replicas", "Storage", "PostgreSQL", "replicas", ""},
      {"  API version : stay on v1, BECAUSE clients pin it.  ", "API version", "stay on v1", "clients pin it", ""},
      {"Docs: move to https://docs.example/x because the wiki is slow", "Docs", "move to https://docs.example/x",
       "the wiki is slow", ""},
      {"Freeze: no deploys Friday because on-call is thin. Impact: releases wait for Monday", "Freeze",
       "no deploys Friday", "on-call is thin", "releases wait for Monday"},
      // "because" only as a word of its own; the first one splits.
      {"Cache: becausewhy stays because speed because cost", "Cache", "becausewhy stays", "speed because cost", ""},
  });
  for (const auto& row : rows) {
    INFO(row.text);
    const auto d = read(row.text);
    CHECK(d.title == row.title);
    CHECK(d.decision == row.decision);
    CHECK(d.rationale == row.rationale);
    CHECK(d.impact == row.impact);
  }
}

TEST_CASE("links and tickets come from the whole text", "[decision]") {
  const auto d = read("Web: merge https://github.com/acme/web/pull/9 because ENG-7 needs it");
  CHECK(d.links == std::vector<std::string>{"https://github.com/acme/web/pull/9"});
  CHECK(d.tickets == std::vector<std::string>{"acme/web#9", "ENG-7"});
}

TEST_CASE("supersedes D12 opens a decision that replaces another", "[decision]") {
  CHECK(read("supersedes D12: Storage: SQLite because one process is enough").supersedes == 12);
  CHECK(read("Supersedes d3 Storage: SQLite because one process").supersedes == 3);
  CHECK(read("supersedes 7: Storage: SQLite because one process").title == "Storage");
  CHECK(refusal("supersedes: Storage: SQLite because one process").starts_with("Which decision does it supersede?"));
  CHECK(refusal("supersedes Dx: Storage: SQLite because x").find("`/decision supersedes D12:") != std::string::npos);
}

TEST_CASE("a decision not in the form is refused with an example", "[decision]") {
  const std::string example = "`/decision Storage: we use PostgreSQL because replicas share one database`";
  for (const std::string_view text :
       {"", "we use PostgreSQL because replicas", ": PostgreSQL because replicas", "Storage: PostgreSQL",
        "Storage: because replicas", "Storage: PostgreSQL because"}) {
    INFO(text);
    CHECK(refusal(text).find(example) != std::string::npos);
  }
  CHECK(refusal("Storage: PostgreSQL").starts_with("Say why, after \"because\""));
  CHECK(refusal("we use PostgreSQL because replicas").starts_with("Start with a short title and a colon"));
  CHECK(refusal(std::string(130, 'x') + ": a because b").starts_with("That title is long"));
}

TEST_CASE("decision: opens a decision in a mention or a message", "[decision]") {
  const auto rest = decision_after_lead(RichText{plain("  Decision: Storage: PostgreSQL because replicas")});
  REQUIRE(rest);
  CHECK(to_plain_text(*rest) == " Storage: PostgreSQL because replicas");
  CHECK_FALSE(decision_after_lead(RichText{plain("decisions are hard")}));
  CHECK_FALSE(decision_after_lead(RichText{plain("ENG-42 decision: later")}));
  // Where there are no slash commands, `decision` as the first word is the command.
  const auto message = read_message_command(RichText{plain("decision Storage: PostgreSQL because replicas")});
  CHECK(message.kind == MessageCommand::Kind::update);
  CHECK(message.command == Command::decision);
  CHECK(command_from_string("/decision") == Command::decision);
}

TEST_CASE("the decision echo names it D12, with its fields and owner, never pinging", "[decision]") {
  auto d = stored(12, "supersedes D9: Storage: PostgreSQL for ENG-42 because replicas impact: one more server");
  const auto m = render_decision_echo(d, "Ana");
  REQUIRE(m.blocks.size() == 3);
  CHECK(to_plain_text(std::get<Section>(m.blocks[0]).text) ==
        "🧭 Decision D12 · Storage · supersedes D9 · ENG-42");
  CHECK(to_plain_text(std::get<Section>(m.blocks[1]).text) ==
        "Decided: PostgreSQL for ENG-42\nBecause: replicas\nImpact: one more server");
  const auto& byline = std::get<Context>(m.blocks[2]).text;
  CHECK(to_plain_text(byline) == "owner @Ana");
  for (const auto& s : byline) CHECK_FALSE(s.mention);
  CHECK(m.fallback == "Decision D12 from @Ana: Storage — PostgreSQL for ENG-42");
  CHECK(render_decision_receipt(d).fallback == "Saved: decision D12 · Storage");
}

TEST_CASE("decisions and the period asked for are listed newest first", "[decision]") {
  auto older = stored(3, "Storage: SQLite because one process", at(1));
  older.superseded_by = 5;
  const auto newer = stored(5, "supersedes D3: Storage: PostgreSQL because replicas", at(2));
  const auto m = render_decision_list({older, newer}, "in the last 7 days", {{"U1", "Ana"}}, slack);
  CHECK(m.fallback == "2 decisions in this channel in the last 7 days");
  REQUIRE(m.blocks.size() == 2);
  CHECK(to_plain_text(std::get<Section>(m.blocks[1]).text) ==
        "• D5 · 02 Dec · Storage — PostgreSQL · because replicas · supersedes D3 · owner @Ana\n"
        "• D3 · 01 Dec · Storage — SQLite · because one process · owner @Ana · superseded by D5\n");

  const auto none = render_decision_list({}, "since 01 Nov 2026", {}, slack);
  CHECK(
      none.fallback.starts_with("No decisions recorded in this channel since 01 Nov 2026. Record one with `/decision"));
}

TEST_CASE("a ticket's timeline shows its decisions, superseded ones pointing to their successor", "[decision]") {
  auto older = stored(3, "Storage: SQLite for ENG-42 because one process", at(1));
  older.superseded_by = 5;
  const auto newer = stored(5, "supersedes D3: Storage: PostgreSQL for ENG-42 because replicas", at(2));
  auto m = render_timeline("ENG-42", {}, {}, {}, {}, {});
  add_decisions_to_timeline(m, {newer, older}, {});
  CHECK(m.fallback == "No updates mention ENG-42 yet. · 2 decisions");
  const auto text = to_plain_text(std::get<Section>(m.blocks.back()).text);
  CHECK(text.find("• D5 · 02 Dec") == 0);
  CHECK(text.find("D3 · 01 Dec · Storage — SQLite for ENG-42 · because one process · owner @U1 · superseded by D5") !=
        std::string::npos);

  auto unchanged = render_timeline("ENG-42", {}, {}, {}, {}, {});
  add_decisions_to_timeline(unchanged, {}, {});
  CHECK(unchanged.blocks.size() == 1);
}

TEST_CASE("the markdown export follows the decision log template", "[decision][export]") {
  auto first = stored(3, "Storage: SQLite because one process", at(1));
  first.superseded_by = 5;
  auto second =
      stored(5, "supersedes D3: Storage: PostgreSQL for ENG-42 and acme/web#9 because replicas impact: ops", at(2));
  second.owner = "U2";
  const auto md = decisions_markdown({first, second}, {{"U1", "Ana"}});
  CHECK(md ==
        "# Decision log\n"
        "\n## 2026-12-01 — Storage\n\n"
        "- **ID:** D3\n- **Owner:** Ana\n- **Decision:** SQLite\n- **Rationale:** one process\n"
        "- **Impact:** —\n- **Tickets:** —\n- **Superseded by:** D5\n"
        "\n## 2026-12-02 — Storage\n\n"
        "- **ID:** D5\n- **Owner:** U2\n- **Decision:** PostgreSQL for ENG-42 and acme/web#9\n"
        "- **Rationale:** replicas\n- **Impact:** ops\n- **Tickets:** ENG-42, acme/web#9\n- **Supersedes:** D3\n");
  // People's line breaks cannot start headings of their own.
  auto odd = first;
  odd.parsed.decision = "one\n## two";
  CHECK(decisions_markdown({odd}, {}).find("- **Decision:** one ## two\n") != std::string::npos);
}

TEST_CASE("/microalign decisions reads a number of days or a date", "[decision][channel_command]") {
  namespace cc = channel_command;
  const auto days = [](std::string_view text) {
    const auto parsed = cc::parse(text, slack);
    REQUIRE(std::holds_alternative<cc::ListDecisions>(parsed));
    return std::get<cc::ListDecisions>(parsed).since_or_days;
  };
  CHECK(std::get<int>(days("decisions")) == 30);
  CHECK(std::get<int>(days("decisions 7d")) == 7);
  CHECK(std::get<int>(days("Decisions 2 weeks")) == 14);
  using namespace std::chrono;
  CHECK(std::get<year_month_day>(days("decisions since 2026-11-01")) == 2026y / November / 1);
  const auto invalid = [](std::string_view text) { return std::get<cc::Invalid>(cc::parse(text, slack)).message; };
  CHECK(invalid("decisions lately").starts_with("I couldn't read \"lately\" as a number of days"));
  CHECK(invalid("decisions 400d").starts_with("I list 1 to 365 days of decisions"));
  CHECK(invalid("decisions since").starts_with("Since which date?"));
  CHECK(invalid("decisions since 2026-13-01").find("`/microalign decisions since 2026-11-01`") != std::string::npos);
  CHECK(cc::help_text(slack).find("`/microalign decisions 7d`") != std::string::npos);
}

TEST_CASE("the digest lists the window's decisions in a section of their own", "[decision][digest]") {
  DigestInput in;
  in.team = "T1";
  in.channel = "C1";
  in.window_start = at(1, 0);
  in.window_end = at(2, 0);
  in.names = {{"U1", "Ana"}};
  auto d = stored(12, "Storage: PostgreSQL because replicas", at(1));
  auto elsewhere = stored(13, "Other: x because y", at(1));
  elsewhere.where.channel = "C2";
  in.decisions = {d, elsewhere};

  // Decisions alone make a digest.
  const auto digest = build_digest(in, {});
  REQUIRE_FALSE(digest.empty());
  const auto text = to_text(digest);
  CHECK(text.find("🧭 Decisions\n• D12 · Storage — PostgreSQL · owner @Ana") != std::string::npos);
  CHECK(text.find("D13") == std::string::npos);

  SECTION("a long list ends with +N more, each line within the section's size") {
    in.decisions.clear();
    for (int i = 1; i <= 30; ++i) {
      in.decisions.push_back(stored(i, std::string(100, 't') + ": " + std::string(200, 'd') + " because y", at(1)));
    }
    DigestOptions options;
    options.max_section_bytes = 600;
    const auto long_digest = build_digest(in, options);
    const auto long_text = to_text(long_digest);
    CHECK(long_text.find("+22 more") != std::string::npos);
    CHECK(long_text.find("• D30 ·") < long_text.find("• D29 ·"));  // newest first
  }
}
