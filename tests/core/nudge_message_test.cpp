// The nudge DM: what the owner reads about each quiet ticket, and the buttons that answer it.
// Days are in June 2026 (no DST change): Fri 5, Mon 8, Wed 10; Berlin is UTC+2.
#include <catch2/catch.hpp>

#include <date/tz.h>

#include "microalign/core/nudge_message.hpp"

namespace microalign {
namespace {

using namespace std::chrono_literals;

SysTime berlin_june(unsigned day, std::chrono::hours hour) {
  const date::local_days date{std::chrono::local_days{std::chrono::year{2026} / std::chrono::June /
                                                      std::chrono::day{day}}.time_since_epoch()};
  return date::locate_zone("Europe/Berlin")->to_sys(date + hour);
}

const SysTime wednesday_10 = berlin_june(10, 10h);

// A ticket of alice's in C1, last updated on Friday 5 June 10:00 Berlin time (3 working days
// before Wednesday 10:00) by update `id`.
NudgeCandidate quiet_ticket(std::string key, std::int64_t id = 7) {
  NudgeCandidate c;
  c.team = "T1";
  c.channel = "C1";
  auto& t = c.ticket;
  t.key = std::move(key);
  t.owner = "alice";
  t.state = TicketState::on_track;
  t.last_update_at = berlin_june(5, 10h);
  t.last_update.id = id;
  t.last_update.created_at = t.last_update_at;
  t.last_update.where = {"T1", "C1", ""};
  t.last_update.user = "alice";
  t.last_update.parsed.kind = UpdateKind::status;
  t.last_update.parsed.state = TicketState::on_track;
  t.last_update.parsed.tickets = {t.key};
  t.last_update.parsed.text = t.key + " on track, <!channel> review pending";
  return c;
}

NudgeDmContext berlin_context() {
  NudgeDmContext context;
  context.owner_time_zone = "Europe/Berlin";
  context.names = {{"bob", "Bob"}};
  context.link_to = [](const Update& u) { return "https://acme.slack.com/archives/C1/p" + std::to_string(u.id); };
  return context;
}

NudgePlan plan_of(std::vector<NudgeCandidate> tickets) { return NudgePlan{"alice", std::move(tickets)}; }

std::string text_of(const Block& block) {
  if (const auto* section = std::get_if<Section>(&block)) return to_plain_text(section->text);
  if (const auto* context = std::get_if<Context>(&block)) return to_plain_text(context->text);
  return {};
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a nudge DM: one opening line, then each ticket with its four buttons", "[nudge][message]") {
  const auto dm = render_nudge_dm(plan_of({quiet_ticket("ENG-42", 7), quiet_ticket("ENG-7", 9)}), berlin_context(),
                                  wednesday_10);
  REQUIRE(dm.blocks.size() == 5);
  CHECK(contains(text_of(dm.blocks[0]), "2 of your tickets have gone quiet"));
  CHECK(dm.fallback == "👋 2 of your tickets have gone quiet: ENG-42, ENG-7");

  const auto& section = std::get<Section>(dm.blocks[1]);
  const auto text = to_plain_text(section.text);
  CHECK(text.starts_with("ENG-42 in #C1 · 🟢 on track — ENG-42 on track, <!channel> review pending"));
  CHECK(contains(text, "quiet for 3 working days"));
  // The channel is a reference, the note literal text, the last update a link.
  CHECK(std::ranges::any_of(section.text, [](const Span& s) { return s.channel == "C1"; }));
  CHECK(std::ranges::any_of(section.text, [](const Span& s) {
    return s.text == "last update" && s.url == "https://acme.slack.com/archives/C1/p7";
  }));
  CHECK(std::ranges::none_of(section.text, [](const Span& s) { return s.mention; }));

  const auto& actions = std::get<Actions>(dm.blocks[2]);
  REQUIRE(actions.buttons.size() == 4);
  CHECK(actions.buttons[0].label == "Still on track");
  CHECK(actions.buttons[0].action_id == nudge_action::on_track);
  CHECK(actions.buttons[0].style == Button::Style::primary);
  CHECK(actions.buttons[1].label == "Post an update");
  CHECK(actions.buttons[1].action_id == nudge_action::post_update);
  CHECK(actions.buttons[2].label == "Snooze 2 days");
  CHECK(actions.buttons[2].action_id == nudge_action::snooze);
  CHECK(actions.buttons[3].label == "Done");
  CHECK(actions.buttons[3].action_id == nudge_action::done);
  for (const auto& button : actions.buttons) {
    CHECK(decode_nudge_button(button.value) == NudgeButtonValue{"C1", "ENG-42", 7});
  }
  CHECK(decode_nudge_button(std::get<Actions>(dm.blocks[4]).buttons[0].value) == NudgeButtonValue{"C1", "ENG-7", 9});
}

TEST_CASE("a nudge DM about one ticket names it", "[nudge][message]") {
  const auto dm = render_nudge_dm(plan_of({quiet_ticket("ENG-42")}), berlin_context(), wednesday_10);
  CHECK(dm.fallback == "👋 ENG-42 has gone quiet");
  CHECK(contains(text_of(dm.blocks[0]), "ENG-42 has gone quiet"));
  CHECK(dm.blocks.size() == 3);
}

TEST_CASE("quiet days are the owner's working days, less the channel's holidays", "[nudge][message]") {
  auto c = quiet_ticket("ENG-42");
  CHECK(contains(text_of(render_nudge_dm(plan_of({c}), berlin_context(), berlin_june(15, 11h)).blocks[1]),
                 "quiet for 6 working days"));
  c.channel_holidays = {std::chrono::year{2026} / std::chrono::June / std::chrono::day{8}};
  CHECK(contains(text_of(render_nudge_dm(plan_of({c}), berlin_context(), berlin_june(15, 11h)).blocks[1]),
                 "quiet for 5 working days"));
}

TEST_CASE("a nudge DM shows the tracker link, the blocker and who posted last", "[nudge][message]") {
  auto c = quiet_ticket("ENG-42");
  c.ticket.state = TicketState::blocked;
  c.ticket.last_update.parsed.state = TicketState::blocked;
  c.ticket.last_update.parsed.blocked_on = "OPS-7 review";
  c.ticket.last_update.parsed.links = {"https://jira.example.com/browse/ENG-42"};
  c.ticket.last_update.user = "bob";  // the owner was named by hand
  const auto dm = render_nudge_dm(plan_of({c}), berlin_context(), wednesday_10);
  const auto& section = std::get<Section>(dm.blocks[1]);
  CHECK(section.text.front().text == "ENG-42");
  CHECK(section.text.front().url == "https://jira.example.com/browse/ENG-42");
  const auto text = to_plain_text(section.text);
  CHECK(contains(text, "🔴 blocked on OPS-7 review"));
  CHECK(contains(text, "from @Bob"));
  CHECK(std::ranges::none_of(section.text, [](const Span& s) { return s.mention; }));
}

TEST_CASE("a nudge DM without links or a state still reads well", "[nudge][message]") {
  auto c = quiet_ticket("ENG-42");
  c.ticket.state.reset();
  c.ticket.last_update.parsed.state.reset();
  c.ticket.last_update.parsed.text.clear();
  NudgeDmContext bare;  // no zone (UTC), no links, no names
  const auto text = text_of(render_nudge_dm(plan_of({c}), bare, wednesday_10).blocks[1]);
  CHECK(text == "ENG-42 in #C1\n💤 quiet for 3 working days");
}

TEST_CASE("a long note is shortened to one line", "[nudge][message]") {
  auto c = quiet_ticket("ENG-42");
  c.ticket.last_update.parsed.text = std::string(500, 'x') + "\n\nmore";
  const auto text = text_of(render_nudge_dm(plan_of({c}), berlin_context(), wednesday_10).blocks[1]);
  CHECK(text.find("xxx…") != std::string::npos);
  CHECK(text.find("more") == std::string::npos);
  CHECK(text.size() < 300);
}

TEST_CASE("a nudge DM shows ten tickets at most and points to the rest", "[nudge][message]") {
  std::vector<NudgeCandidate> tickets;
  for (int i = 1; i <= 30; ++i) tickets.push_back(quiet_ticket("ENG-" + std::to_string(i), i));
  const auto dm = render_nudge_dm(plan_of(std::move(tickets)), berlin_context(), wednesday_10);
  CHECK(dm.blocks.size() == 1 + 10 * 2 + 1);
  CHECK(text_of(dm.blocks.back()) == "+20 more — see /microalign tickets in their channels");
  CHECK(contains(dm.fallback, "30 of your tickets"));
  CHECK(dm.fallback.ends_with("ENG-10 and 20 more"));
}

TEST_CASE("nudge button values round-trip and refuse anything else", "[nudge][message]") {
  const NudgeButtonValue v{"C0123", "ENG-42", 1234};
  CHECK(encode_nudge_button(v) == "C0123 ENG-42 1234");
  CHECK(decode_nudge_button(encode_nudge_button(v)) == v);
  for (const char* bad : {"", "C1", "C1 ENG-1", "C1 ENG-1 x", "C1 ENG-1 0", " ENG-1 3", "C1 ENG 1 3"}) {
    INFO(bad);
    CHECK_FALSE(decode_nudge_button(bad).has_value());
  }
}

}  // namespace microalign
