// `/microalign tickets`: one line per open ticket with its state, age and owner. "Now" is
// Thursday 10 December 2026, 12:00 UTC; Friday 4 December is four working days before it.
#include <catch2/catch.hpp>

#include "microalign/core/ticket_list.hpp"

namespace microalign {
namespace {

using namespace std::chrono_literals;
using std::chrono::year_month_day;

year_month_day december(unsigned day) {
  return std::chrono::year{2026} / std::chrono::December / std::chrono::day{day};
}

SysTime utc(unsigned day, std::chrono::minutes time) { return SysTime{std::chrono::sys_days{december(day)}} + time; }

const SysTime now = utc(10, 12h);

TicketSnapshot ticket(std::string key, SysTime last_update_at, std::string owner = "U1",
                      std::optional<TicketState> state = TicketState::on_track) {
  TicketSnapshot t;
  t.key = std::move(key);
  t.owner = std::move(owner);
  t.state = state;
  t.state_since = last_update_at;
  t.last_update_at = last_update_at;
  t.last_update.created_at = last_update_at;
  t.last_update.parsed.state = state;
  return t;
}

// The message as its reader sees it, one block a line.
std::string text_of(const Message& m) {
  std::string out;
  for (const auto& block : m.blocks) {
    if (const auto* s = std::get_if<Section>(&block)) out += to_plain_text(s->text) + "\n";
    if (const auto* c = std::get_if<Context>(&block)) out += to_plain_text(c->text) + "\n";
  }
  return out;
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TicketListInput input(std::vector<TicketSnapshot> tickets) {
  TicketListInput in;
  in.tickets = std::move(tickets);
  in.names = {{"U1", "alice"}, {"U2", "bob"}};
  return in;
}

}  // namespace

TEST_CASE("no open tickets: a friendly line that says how tickets appear", "[ticket_list]") {
  const auto m = render_ticket_list(input({}), now);
  CHECK(text_of(m) ==
        "No open tickets in this channel. A ticket shows up here once someone posts a status naming it, "
        "e.g. `/status ENG-42 on track`.\n");
}

TEST_CASE("each ticket shows its state, its age and its owner, named but never pinged", "[ticket_list]") {
  auto blocked = ticket("ENG-7", now - 2h, "U2", TicketState::blocked);
  blocked.last_update.parsed.blocked_on = "OPS-7 review";
  auto github = ticket("acme/web#9", now - 5min, "", std::nullopt);
  const auto m = render_ticket_list(input({ticket("ENG-42", utc(4, 12h)), blocked, github}), now);
  const auto text = text_of(m);
  CHECK(m.fallback == "3 open tickets in this channel");
  CHECK(has(text, "3 open tickets in this channel, oldest update first:"));
  CHECK(has(text, "• ENG-42 · 🟢 on track · quiet 4 working days · owner @alice\n"));
  CHECK(has(text, "• ENG-7 · 🔴 blocked on OPS-7 review · updated 2 h ago · owner @bob\n"));
  CHECK(has(text, "• acme/web#9 · no state yet · updated 5 min ago · no owner yet\n"));

  bool linked = false;
  for (const auto& block : m.blocks) {
    const auto* s = std::get_if<Section>(&block);
    if (!s) continue;
    for (const auto& span : s->text) {
      CHECK_FALSE(span.mention);
      if (span.text == "acme/web#9") linked = span.url == "https://github.com/acme/web/issues/9";
    }
  }
  CHECK(linked);
}

TEST_CASE("quiet is counted as nudges count it: the owner's working days less the channel's holidays", "[ticket_list]") {
  auto in = input({ticket("ENG-42", utc(4, 12h))});
  in.holidays = {december(7)};
  CHECK(has(text_of(render_ticket_list(in, now)), "quiet 3 working days"));
  in.quiet_days = 5;  // not quiet yet under this channel's threshold
  CHECK(has(text_of(render_ticket_list(in, now)), "· updated 6 days ago ·"));
  in.quiet_days = 3;
  in.owners["U1"].time_zone = "Pacific/Auckland";  // UTC+13: already Friday 01:00 there
  CHECK(has(text_of(render_ticket_list(in, now)), "quiet 3 working days"));
  CHECK(has(text_of(render_ticket_list(input({ticket("ENG-1", now - 1h - 1min)}), now)), "updated 1 h ago"));
  CHECK(has(text_of(render_ticket_list(input({ticket("ENG-1", now - 20s)}), now)), "updated just now"));
}

TEST_CASE("a quiet ticket whose owner is away shows them away, not the ticket quiet", "[ticket_list]") {
  auto in = input({ticket("ENG-42", utc(4, 12h)), ticket("ENG-43", now - 3h)});
  in.owners["U1"].away_until = december(11);
  const auto text = text_of(render_ticket_list(in, now));
  CHECK(has(text, "• ENG-42 · 🟢 on track · updated 6 days ago · owner away through Fri 11 Dec · owner @alice"));
  CHECK(has(text, "• ENG-43 · 🟢 on track · updated 3 h ago · owner @alice"));
  in.owners["U1"].away_until = december(9);  // back since yesterday
  CHECK(has(text_of(render_ticket_list(in, now)), "quiet 4 working days"));
}

TEST_CASE("a ticket snoozed into the future says until when, in the asker's calendar", "[ticket_list]") {
  auto in = input({ticket("ENG-42", utc(4, 12h)), ticket("ENG-43", now - 3h), ticket("ENG-44", now - 2h)});
  in.snoozed_until["ENG-42"] = utc(17, 23h);
  in.snoozed_until["ENG-43"] = now - 1min;  // over: shown as any other ticket
  auto text = text_of(render_ticket_list(in, now));
  CHECK(has(text, "• ENG-42 · 🟢 on track · quiet 4 working days · 💤 snoozed until Thu 17 Dec · owner @alice\n"));
  CHECK(has(text, "• ENG-43 · 🟢 on track · updated 3 h ago · owner @alice\n"));
  CHECK(has(text, "• ENG-44 · 🟢 on track · updated 2 h ago · owner @alice\n"));

  in.asker_zone = "Asia/Tokyo";  // UTC+9: already Friday there
  CHECK(has(text_of(render_ticket_list(in, now)), "💤 snoozed until Fri 18 Dec · owner @alice"));
  in.snoozed_until["ENG-42"] = utc(31, 12h) + std::chrono::days(1);
  CHECK(has(text_of(render_ticket_list(in, now)), "💤 snoozed until Fri 1 Jan 2027 ·"));
}

TEST_CASE("an owner who turned nudges off is shown so, whatever their tickets' age", "[ticket_list]") {
  auto in = input({ticket("ENG-42", utc(4, 12h)), ticket("ENG-7", now - 2h, "U2")});
  in.owners["U1"].nudges_off = true;
  const auto text = text_of(render_ticket_list(in, now));
  CHECK(has(text, "• ENG-42 · 🟢 on track · quiet 4 working days · owner @alice (nudges off)\n"));
  CHECK(has(text, "• ENG-7 · 🟢 on track · updated 2 h ago · owner @bob\n"));
}

TEST_CASE("a long list shows the first twenty tickets and says how many more", "[ticket_list]") {
  std::vector<TicketSnapshot> tickets;
  for (int i = 1; i <= 25; ++i) tickets.push_back(ticket("ENG-" + std::to_string(i), now - std::chrono::hours(30 - i)));
  const auto m = render_ticket_list(input(std::move(tickets)), now);
  const auto text = text_of(m);
  CHECK(has(text, "• ENG-20 "));
  CHECK_FALSE(has(text, "• ENG-21 "));
  CHECK(has(text, "…and 5 more, updated more recently."));
  CHECK(m.blocks.size() == 1 + 4 + 1);  // title, four sections of five, the rest
}

}  // namespace microalign
