// The parser's specification: a table of phrasings people actually type, and what each means.
#include <catch2/catch.hpp>

#include <sstream>

#include "microalign/core/parse.hpp"

namespace microalign {
namespace {

using Kind = UpdateKind;
using State = TicketState;
constexpr auto status = Command::status;
constexpr auto heads_up = Command::heads_up;
constexpr auto mention = Command::mention;
constexpr std::optional<State> no_state;
constexpr std::optional<int> no_delay;

RichText says(std::string text) { return {plain(std::move(text))}; }

struct Row {
  Command command;
  RichText text;
  Kind kind;
  std::optional<State> state;
  std::vector<std::string> tickets;
  std::optional<int> delay_days = no_delay;
};

std::string describe(const Row& row) {
  std::ostringstream out;
  out << (row.command == status ? "/status " : row.command == heads_up ? "/heads-up " : "@bot ")
      << '"' << to_plain_text(row.text) << '"';
  return out.str();
}

std::string describe(const std::optional<State>& state) {
  return state ? std::string(to_string(*state)) : "no state";
}

const std::vector<Row>& phrasings() {
  static const std::vector<Row> rows{
      // The examples from the issue.
      {status, says("Re: ticket JIRA-123, just wanted to let you know we're on track and a draft "
                    "PR is up"),
       Kind::status, State::on_track, {"JIRA-123"}},
      {heads_up,
       {plain("Heads up: we just merged "),
        link("this change", "https://github.com/acme/web/pull/9"),
        plain(" that addresses the problems we discussed")},
       Kind::heads_up, State::done, {"acme/web#9"}},
      {heads_up, says("I just realized when working on JIRA-123 that we haven't agreed on the "
                      "cadence of data updates … here's what I've assumed - let me know"),
       Kind::assumption, no_state, {"JIRA-123"}},
      {status, says("ENG-42 had some trouble testing, so it'll be a day delayed"), Kind::status,
       State::delayed, {"ENG-42"}, 1},
      {heads_up, says("Had some trouble testing, so it'll be a day delayed"), Kind::heads_up,
       State::delayed, {}, 1},
      {heads_up, says("We thought we could use the shared library, but not quite, so we're "
                      "building our own"),
       Kind::heads_up, no_state, {}},
      {heads_up, says("assumption: ENG-7 data refreshes hourly — shout if not"), Kind::assumption,
       no_state, {"ENG-7"}},
      {status,
       {plain("ENG-42 on track, draft PR up "),
        link("https://github.com/acme/web/pull/12", "https://github.com/acme/web/pull/12")},
       Kind::status, State::on_track, {"ENG-42", "acme/web#12"}},

      // On track.
      {status, says("ENG-1 on-track"), Kind::status, State::on_track, {"ENG-1"}},
      {status, says("ENG-1 on schedule for Friday"), Kind::status, State::on_track, {"ENG-1"}},
      {status, says("ENG-1 going well, no blockers"), Kind::status, State::on_track, {"ENG-1"}},
      {mention, says("ENG-1 all good 👍"), Kind::status, State::on_track, {"ENG-1"}},
      {status, says("ENG-1 is green"), Kind::status, State::on_track, {"ENG-1"}},
      {status, says("ENG-1 good to go"), Kind::status, State::on_track, {"ENG-1"}},
      {status, says("ENG-1 still on for Thursday"), Kind::status, State::on_track, {"ENG-1"}},
      {mention, says("not blocked anymore, back on track with ENG-9"), Kind::status,
       State::on_track, {"ENG-9"}},
      {status, says("ENG-3 unblocked"), Kind::status, State::on_track, {"ENG-3"}},
      {heads_up, says("eng-42 is ontrack"), Kind::heads_up, State::on_track, {}},
      {status, says("ENG-42, OPS-7: both on track"), Kind::status, State::on_track,
       {"ENG-42", "OPS-7"}},

      // At risk.
      {status, says("ENG-5 at risk: vendor API is flaky"), Kind::status, State::at_risk, {"ENG-5"}},
      {status, says("ENG-5 at-risk"), Kind::status, State::at_risk, {"ENG-5"}},
      {status, says("ENG-5 might slip, the vendor is slow"), Kind::status, State::at_risk,
       {"ENG-5"}},
      {status, says("ENG-5 may slip to next week"), Kind::status, State::at_risk, {"ENG-5"}},
      {status, says("ENG-5 timeline is tight"), Kind::status, State::at_risk, {"ENG-5"}},
      {status, says("ENG-5 yellow — QA capacity"), Kind::status, State::at_risk, {"ENG-5"}},
      {status, says("bit concerned about ENG-5, the load test numbers look off"), Kind::status,
       State::at_risk, {"ENG-5"}},
      {status, says("ENG-5 could be late if QA doesn't start Monday"), Kind::status,
       State::at_risk, {"ENG-5"}},
      {status, says("ENG-5 yellow: might be 2 days late"), Kind::status, State::at_risk,
       {"ENG-5"}},
      {mention, says("ENG-5 looks risky ⚠️"), Kind::status, State::at_risk, {"ENG-5"}},

      // Delayed, and by how much (in working days).
      {status, says("ENG-8 delayed by 2 days"), Kind::status, State::delayed, {"ENG-8"}, 2},
      {status, says("ENG-8 +2d"), Kind::status, State::delayed, {"ENG-8"}, 2},
      {status, says("ENG-8 two days late"), Kind::status, State::delayed, {"ENG-8"}, 2},
      {status, says("ENG-8 is 1 week behind"), Kind::status, State::delayed, {"ENG-8"}, 5},
      {status, says("ENG-8 ETA slipping by two days"), Kind::status, State::delayed, {"ENG-8"}, 2},
      {status, says("ENG-8 slipped a couple of days"), Kind::status, State::delayed, {"ENG-8"}, 2},
      {status, says("ENG-8 running a few days behind"), Kind::status, State::delayed, {"ENG-8"},
       3},
      {status, says("ENG-8 pushed to next week"), Kind::status, State::delayed, {"ENG-8"}},
      {status, says("ENG-8 will be half a day late"), Kind::status, State::delayed, {"ENG-8"}, 1},
      {status, says("ENG-8 is behind schedule"), Kind::status, State::delayed, {"ENG-8"}},
      {status, says("ENG-8 slipping a week"), Kind::status, State::delayed, {"ENG-8"}, 5},
      {status, says("ENG-8 delayd 1w"), Kind::status, State::delayed, {"ENG-8"}, 5},
      {status, says("ENG-8 not late, just quiet"), Kind::status, State::on_track, {"ENG-8"}},
      {mention, says("ENG-8 delayed a day"), Kind::status, State::delayed, {"ENG-8"}, 1},
      {status, says("ENG-8 postponed until Monday"), Kind::status, State::delayed, {"ENG-8"}},
      {status, says("ENG-8 a bit behind, ETA +1d"), Kind::status, State::delayed, {"ENG-8"}, 1},

      // Blocked.
      {status, says("ENG-42 blocked on OPS-12 review"), Kind::status, State::blocked,
       {"ENG-42", "OPS-12"}},
      {status, says("ENG-42 waiting for design sign-off"), Kind::status, State::blocked,
       {"ENG-42"}},
      {status, says("ENG-42 stuck on flaky CI"), Kind::status, State::blocked, {"ENG-42"}},
      {status, says("ENG-42 can't proceed until legal signs off"), Kind::status, State::blocked,
       {"ENG-42"}},
      {status, says("ENG-42 is red"), Kind::status, State::blocked, {"ENG-42"}},
      {status, says("ENG-42 blokced by infra"), Kind::status, State::blocked, {"ENG-42"}},
      {mention, says("fyi ENG-42 is blocked"), Kind::heads_up, State::blocked, {"ENG-42"}},
      {status, says("ENG-42 on hold until the reorg settles"), Kind::status, State::blocked,
       {"ENG-42"}},
      {status, says("ENG-42 no longer blocked"), Kind::status, State::on_track, {"ENG-42"}},
      {status, says("ENG-42 isn't blocked, just slow"), Kind::status, State::on_track, {"ENG-42"}},
      {status, says("ENG-42: blocked on infra, so it'll be 2 days late"), Kind::status,
       State::blocked, {"ENG-42"}},
      {status, says("ENG-42 https://acme.atlassian.net/browse/ENG-43 blocked on ENG-43"),
       Kind::status, State::blocked, {"ENG-42", "ENG-43"}},

      // Done.
      {status, says("ENG-42 LGTM merged"), Kind::status, State::done, {"ENG-42"}},
      {mention, says("shipped to prod 🎉 ENG-42"), Kind::status, State::done, {"ENG-42"}},
      {status, says("ENG-42 done ✅"), Kind::status, State::done, {"ENG-42"}},
      {status, says("ENG-42 deployed and live in prod"), Kind::status, State::done, {"ENG-42"}},
      {status, says("ENG-42 not done yet"), Kind::status, no_state, {"ENG-42"}},
      {status, says("ENG-42 not merged"), Kind::status, no_state, {"ENG-42"}},
      {status, says("ENG-42 will be merged once CI is green"), Kind::status, State::on_track,
       {"ENG-42"}},
      {status, says("ENG-42 ships once CI passes and it's merged"), Kind::status, no_state,
       {"ENG-42"}},
      {status, says("ENG-42 almost done"), Kind::status, no_state, {"ENG-42"}},
      {status, says("ENG-42 fixed and released, on track for the demo"), Kind::status,
       State::done, {"ENG-42"}},
      {mention, says("ENG-42 moved to done"), Kind::status, State::done, {"ENG-42"}},
      {status, says("acme/web#31 merged 🎉"), Kind::status, State::done, {"acme/web#31"}},
      {status, says("Linear ENG-50 → https://linear.app/acme/issue/ENG-51/fix-login done"),
       Kind::status, State::done, {"ENG-50", "ENG-51"}},
      {mention, {user_ref("U1", "alice", false), plain(" ENG-4 is done")}, Kind::status,
       State::done, {"ENG-4"}},

      // Questions, assumptions, and how an update opens.
      {heads_up, says("Does anyone know who owns the billing service?"), Kind::question, no_state,
       {}},
      {heads_up, says("is ENG-42 blocked?"), Kind::question, no_state, {"ENG-42"}},
      {heads_up, says("Quick question: should we pin the SDK version"), Kind::question, no_state,
       {}},
      {mention, says("how do we roll back the migration? asking for ENG-9"), Kind::question,
       no_state, {"ENG-9"}},
      {heads_up, says("We're assuming the API stays backward compatible"), Kind::assumption,
       no_state, {}},
      {heads_up, says("I assumed ENG-12 covers mobile too"), Kind::assumption, no_state,
       {"ENG-12"}},
      {heads_up, says("we assume hourly refresh is fine, right?"), Kind::assumption, no_state, {}},
      {heads_up, says("FYI: the staging DB is being rebuilt tonight"), Kind::heads_up, no_state,
       {}},
      {heads_up, says("PSA ENG-3 is done"), Kind::heads_up, State::done, {"ENG-3"}},
      {mention, says("Heads-up: ENG-3 merged"), Kind::heads_up, State::done, {"ENG-3"}},
      {mention, says("ENG-3 merged"), Kind::status, State::done, {"ENG-3"}},
      {mention, says("update on ENG-77: sync with finance today"), Kind::status, no_state,
       {"ENG-77"}},
      {heads_up, says("status: ENG-77 going well"), Kind::status, State::on_track, {"ENG-77"}},
      {heads_up, says("note: ENG-77 is blocked on the vendor"), Kind::heads_up, State::blocked,
       {"ENG-77"}},
      {mention, says("Deploy window moved, ops is handling it"), Kind::heads_up, no_state, {}},

      // Things that look like tickets or states and are not.
      {heads_up, says("Switching everything to UTF-8 and SHA-256 hashes"), Kind::heads_up,
       no_state, {}},
      {heads_up, says("Timestamps are ISO-8601 (RFC-3339) from now on"), Kind::heads_up, no_state,
       {}},
      {heads_up, says("We abandoned the old approach; the change can be undone"), Kind::heads_up,
       no_state, {}},
      {heads_up, says("Compliance: ISO-27001 and SOC-2 audit next month, TLS-1.2 only, HTTP-2 on"),
       Kind::heads_up, no_state, {}},
      {heads_up, says("The team behind the payments API is moving to AES-256 and PEP-8 style"),
       Kind::heads_up, no_state, {}},
      {heads_up, says("pushed a fix for the flaky test"), Kind::heads_up, no_state, {}},
      {heads_up, says("Late last night we merged the cleanup (ENG-9)"), Kind::heads_up, State::done,
       {"ENG-9"}},
      {status, says("ENG-5 in review. Blockers: none"), Kind::status, no_state, {"ENG-5"}},
      {heads_up, says("COVID-19 rules, GPT-4 evals, IPV-6 rollout, MD-5 removal, X-1 prototype"),
       Kind::heads_up, no_state, {}},
      {heads_up, says("See https://wiki.example.com/docs/ENG-42-notes for context"),
       Kind::heads_up, no_state, {}},
      {heads_up, says("UTF-16 vs SHA-1 vs ES-2015 — reading list for the guild"), Kind::heads_up,
       no_state, {}},
  };
  return rows;
}

TEST_CASE("the phrasing table reads as intended") {
  const auto& rows = phrasings();
  REQUIRE(rows.size() >= 60);
  for (const auto& row : rows) {
    INFO(describe(row));
    const auto update = parse_update(row.command, row.text, ParseOptions{});
    CHECK(to_string(update.kind) == to_string(row.kind));
    CHECK(describe(update.state) == describe(row.state));
    CHECK(update.tickets == row.tickets);
    CHECK(update.delay_days == row.delay_days);
  }
}

TEST_CASE("amounts of delay are working days, rounded up") {
  const std::vector<std::pair<std::string, std::optional<int>>> amounts{
      {"ENG-1 +2d", 2},
      {"ENG-1 2d late", 2},
      {"ENG-1 2 days late", 2},
      {"ENG-1 two days late", 2},
      {"ENG-1 a day late", 1},
      {"ENG-1 one day late", 1},
      {"ENG-1 a couple of days late", 2},
      {"ENG-1 couple days late", 2},
      {"ENG-1 a few days late", 3},
      {"ENG-1 a week late", 5},
      {"ENG-1 1w late", 5},
      {"ENG-1 two weeks late", 10},
      {"ENG-1 half a day late", 1},
      {"ENG-1 1.5 days late", 2},
      {"ENG-1 a 2-day delay", 2},
      {"ENG-1 ten days late", 10},
      {"ENG-1 2 working days late", 2},
      {"ENG-1 a few hours late", 1},
      {"ENG-1 late by 3-4 days", 4},
      {"ENG-1 ETA +3 days", 3},
      {"ENG-1 +99999999999d", no_delay},
      {"ENG-1 delayed, no estimate yet", no_delay},
      {"ENG-1 delayed until next week", no_delay},
  };
  for (const auto& [text, days] : amounts) {
    INFO(text);
    const auto update = parse_update(status, text, ParseOptions{});
    CHECK(describe(update.state) == "delayed");
    CHECK(update.delay_days == days);
  }
}

TEST_CASE("what a blocked update waits on is kept as typed") {
  const std::vector<std::pair<std::string, std::string>> blockers{
      {"ENG-42 blocked on OPS-12 review", "OPS-12 review"},
      {"ENG-42 waiting for design sign-off", "design sign-off"},
      {"ENG-42 Waiting On the Vendor's API keys. Will chase.", "the Vendor's API keys"},
      {"ENG-42 stuck on flaky CI, retrying", "flaky CI"},
      {"ENG-42 can't proceed until legal signs off", "legal signs off"},
      {"ENG-42 blocked by @alice — she's out", "@alice"},
      {"ENG-42 on hold until the reorg settles", "the reorg settles"},
      {"ENG-42 blocked on Zoë’s review", "Zoë’s review"},
      {"ENG-42 blocked on 設計レビュー。", "設計レビュー。"},
      {"ENG-42 blocker: vendor API keys, asked twice", "vendor API keys"},
      {"ENG-42 is blocked.", ""},
      {"ENG-42 is red", ""},
  };
  for (const auto& [text, blocked_on] : blockers) {
    INFO(text);
    const auto update = parse_update(status, text, ParseOptions{});
    CHECK(describe(update.state) == "blocked");
    CHECK(update.blocked_on == blocked_on);
  }
}

TEST_CASE("a long blocker is cut to 120 bytes on a character boundary") {
  std::string blocker;
  for (int i = 0; i < 100; ++i) blocker += "é";  // two bytes each
  const auto update = parse_update(status, "ENG-1 blocked on " + blocker, ParseOptions{});
  CHECK(update.blocked_on.size() <= 120);
  CHECK(update.blocked_on == blocker.substr(0, 120));
}

TEST_CASE("links are every http(s) URL, labelled or bare, in order, once each") {
  const RichText text{
      plain("see https://example.com/a, then "),
      link("the PR", "https://github.com/acme/web/pull/9"),
      plain(" and (https://example.com/b). Again https://example.com/a and "),
      link("mail", "mailto:ops@example.com"),
      plain(" ftp://files.example.com/x"),
  };
  const auto update = parse_update(heads_up, text, ParseOptions{});
  CHECK(update.links == std::vector<std::string>{"https://example.com/a",
                                                 "https://github.com/acme/web/pull/9",
                                                 "https://example.com/b"});
  CHECK(update.tickets == std::vector<std::string>{"acme/web#9"});
}

TEST_CASE("a question with a trailing emoji or link is still a question") {
  CHECK(parse_update(heads_up, "any thoughts? 🙏", {}).kind == Kind::question);
  CHECK(parse_update(heads_up, "any thoughts? :pray:", {}).kind == Kind::question);
  CHECK(parse_update(mention, "can someone review https://github.com/acme/web/pull/3?", {}).kind ==
        Kind::question);
  // Only a '?' at the end, or a question word at the start with a '?' anywhere, asks.
  CHECK(parse_update(mention, "Merged? Yes, ENG-1 is done.", {}).kind == Kind::status);
}

TEST_CASE("the text is the plain text, trimmed, with inner spacing as typed") {
  const RichText text{plain("  \n ENG-1  is\tdone "), link("here", "https://x.example/y"),
                      plain("  \n")};
  CHECK(parse_update(status, text, {}).text == "ENG-1  is\tdone here");
}

TEST_CASE("configured ticket prefixes are the only keys that count") {
  const ParseOptions options{.ticket_prefixes = {"ENG", "OPS"}};
  const auto update = parse_update(status, "ENG-1 and OPS-2 on track, WEB-3 and UTF-8 aside",
                                   options);
  CHECK(update.tickets == std::vector<std::string>{"ENG-1", "OPS-2"});
}

TEST_CASE("a status without a ticket is refused with an example of the right form") {
  const auto update = parse_update(status, "on track, draft PR up", {});
  const auto refusal = refusal_for(status, update, slash_commands());
  REQUIRE(refusal);
  CHECK_THAT(*refusal, Catch::Contains("needs a ticket") &&
                           Catch::Contains("`/status ENG-42 on track, draft PR up`"));
}

TEST_CASE("the example in the refusal is itself a valid status") {
  const auto example = parse_update(status, "ENG-42 on track, draft PR up", {});
  CHECK_FALSE(refusal_for(status, example, slash_commands()));
  CHECK(example.state == State::on_track);
}

TEST_CASE("empty text is refused with usage for every command") {
  for (const auto command : {status, heads_up, mention}) {
    const auto refusal = refusal_for(command, parse_update(command, "   \n", {}), slash_commands());
    REQUIRE(refusal);
    CHECK_THAT(*refusal, Catch::Contains("for example"));
  }
}

TEST_CASE("heads-ups and mentions without tickets are accepted") {
  CHECK_FALSE(refusal_for(heads_up, parse_update(heads_up, "staging is down until noon", {}), slash_commands()));
  CHECK_FALSE(refusal_for(mention, parse_update(mention, "staging is down until noon", {}), slash_commands()));
}

TEST_CASE("command names are recognised with or without the slash") {
  CHECK(command_from_string("/heads-up") == Command::heads_up);
  CHECK(command_from_string("heads-up") == Command::heads_up);
  CHECK(command_from_string("/status") == Command::status);
  CHECK(command_from_string("status") == Command::status);
  CHECK_FALSE(command_from_string("/headsup"));
  CHECK_FALSE(command_from_string("/Status"));
  CHECK_FALSE(command_from_string(""));
}

// No timing assertion: this guards against accidentally quadratic or backtracking code, which
// would make the suite crawl.
TEST_CASE("large and hostile texts parse") {
  std::string prose;
  while (prose.size() < 100'000) {
    prose += "ENG-42 is blocked on OPS-12 review, might slip a couple of days; not done yet. "
             "https://github.com/acme/web/pull/9 heads up: we're on track?! ";
  }
  const auto update = parse_update(mention, prose, {});
  CHECK(update.tickets == std::vector<std::string>{"ENG-42", "OPS-12", "acme/web#9"});

  const std::vector<std::string> hostile{
      std::string(100'000, '<'), std::string(100'000, '-'), std::string(100'000, 'a'),
      std::string(100'000, ':'), std::string(100'000, '9'),
  };
  for (const auto& text : hostile) CHECK(parse_update(status, text, {}).tickets.empty());

  std::string repeated;
  while (repeated.size() < 100'000) repeated += "http://h,a-b ENG-";
  CHECK_NOTHROW(parse_update(heads_up, repeated, {}));
}

}  // namespace
}  // namespace microalign
