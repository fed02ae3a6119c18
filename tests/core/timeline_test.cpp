// `/microalign ticket ENG-42`: a ticket's updates, newest first, with each assumption open or
// answered (and by whom, named but never pinged).
#include <catch2/catch.hpp>

#include "microalign/core/timeline.hpp"

namespace microalign {
namespace {

using namespace std::chrono_literals;

const SysTime friday{std::chrono::sys_days{std::chrono::year{2026} / std::chrono::December / std::chrono::day{4}}};

Update update(std::int64_t id, UpdateKind kind, std::string text, std::string user = "U1") {
  Update u;
  u.id = id;
  u.user = std::move(user);
  u.created_at = friday + std::chrono::hours(9 + id);
  u.parsed.kind = kind;
  u.parsed.text = std::move(text);
  u.parsed.tickets = {"ENG-42"};
  return u;
}

std::string text_of(const Message& m) {
  std::string out;
  for (const auto& block : m.blocks) {
    if (const auto* s = std::get_if<Section>(&block)) out += to_plain_text(s->text);
  }
  return out;
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

const std::map<std::string, std::string> names{{"U1", "alice"}, {"U2", "bob"}};

}  // namespace

TEST_CASE("an answered assumption names who answered it, and the others stay open", "[timeline]") {
  const std::vector<Update> updates{update(3, UpdateKind::assumption, "staging is frozen"),
                                    update(2, UpdateKind::assumption, "the API is stable"),
                                    update(1, UpdateKind::status, "on it")};
  const std::map<std::int64_t, std::string> answered_by{{2, "U2"}};
  const auto m = render_timeline("ENG-42", updates, {}, answered_by, names, {});
  const auto text = text_of(m);
  CHECK(has(text, "• 04 Dec 12:00 UTC · @alice · 🤔 Assumption (open) — staging is frozen\n"));
  CHECK(has(text, "• 04 Dec 11:00 UTC · @alice · 🤔 Assumption · ✅ answered by @bob — the API is stable\n"));
  CHECK(has(text, "• 04 Dec 10:00 UTC · @alice · 📍 Status — on it\n"));

  bool answerer_shown = false;
  for (const auto& block : m.blocks) {
    const auto* s = std::get_if<Section>(&block);
    if (!s) continue;
    for (const auto& span : s->text) {
      CHECK_FALSE(span.mention);
      if (span.user == "U2") answerer_shown = true;
    }
  }
  CHECK(answerer_shown);
}

TEST_CASE("an answerer never named is shown by their id, and answers to other kinds change nothing", "[timeline]") {
  const std::vector<Update> updates{update(2, UpdateKind::assumption, "the API is stable"),
                                    update(1, UpdateKind::question, "who reviews?")};
  const std::map<std::int64_t, std::string> answered_by{{2, "U7"}, {1, "U2"}};
  const auto text = text_of(render_timeline("ENG-42", updates, {}, answered_by, names, {}));
  CHECK(has(text, "🤔 Assumption · ✅ answered by @U7 — the API is stable"));
  CHECK(has(text, "· ❓ Question — who reviews?"));
}

TEST_CASE("a ticket nobody mentioned yet", "[timeline]") {
  CHECK(render_timeline("ENG-9", {}, {}, {}, names, {}).fallback == "No updates mention ENG-9 yet.");
}

TEST_CASE("tracker events are interleaved with the updates by time, newest first", "[timeline][trackers]") {
  const auto said = update(1, UpdateKind::status, "ENG-42 on track");
  TrackerActivity merged;
  merged.tracker = Tracker::github;
  merged.action = TrackerAction::merged;
  merged.at = said.created_at + std::chrono::hours{1};
  merged.item = "PR #9";
  merged.actor = "octocat";
  merged.url = "https://github.com/acme/web/pull/9";
  TrackerActivity opened = merged;
  opened.action = TrackerAction::opened;
  opened.at = said.created_at - std::chrono::hours{1};

  const auto m = render_timeline("ENG-42", {said}, {merged, opened}, {}, {{"U1", "alice"}}, {});
  CHECK(m.fallback == "ENG-42: 1 update and 2 tracker events");
  const auto text = text_of(m);
  const auto at_merged = text.find("🛠 GitHub: PR #9 merged by octocat");
  const auto at_said = text.find("ENG-42 on track");
  const auto at_opened = text.find("🛠 GitHub: PR #9 opened by octocat");
  REQUIRE(at_merged != std::string::npos);
  REQUIRE(at_said != std::string::npos);
  REQUIRE(at_opened != std::string::npos);
  CHECK(at_merged < at_said);
  CHECK(at_said < at_opened);
  CHECK_THAT(text, Catch::Matchers::Contains("(view)"));

  SECTION("a ticket only the trackers talked about still has a timeline") {
    CHECK(render_timeline("ENG-42", {}, {merged}, {}, {}, {}).fallback == "ENG-42: 0 updates and 1 tracker event");
  }
}

}  // namespace microalign
