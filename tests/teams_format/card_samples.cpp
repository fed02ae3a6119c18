// Writes every kind of message the bot sends, as the Teams activity it becomes, one JSON file each,
// into the directory given: validate_cards.mjs then checks them with Microsoft's Adaptive Cards
// library and against Teams' size limit. The inputs are realistic, with user text at its most
// hostile (markup, mentions, invalid UTF-8, long notes), and sizes from one line to past the budget.
//
// Usage: teams_card_samples DIR
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "microalign/core/channel_command.hpp"
#include "microalign/core/decision_list.hpp"
#include "microalign/core/digest.hpp"
#include "microalign/core/echo.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/nudge_answers.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/nudge_outcomes.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/ticket_list.hpp"
#include "microalign/core/timeline.hpp"
#include "microalign/teams/adaptive_card.hpp"

namespace {

using namespace microalign;
using namespace std::chrono_literals;

// Monday 23 November 2026, `hour`:00 UTC.
SysTime nov(int day, int hour = 9) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / day} + std::chrono::hours{hour});
}
const SysTime now = nov(23, 10);

const std::string channel = "19:4f1c0e0f9e0f4c2e8f1b1b0c2d7a9e21@thread.tacv2";
const CommandSpelling teams_spelling{"@microalign ", "@microalign ", "add microalign to the team"};

// What people type, at its worst.
const std::string hostile =
    "*not bold* _not italic_ [click](javascript:alert(1)) <at>Everyone</at> {{DATE(2026-01-01T00:00:00Z)}}"
    "\n- not a list\n1. not a list\n# not a heading\n> not a quote \xFF\xC3";

Update update(std::int64_t id, std::string user, Command command, const std::string& text, SysTime at) {
  Update u;
  u.id = id;
  u.created_at = at;
  u.where = {"tenant-1", channel, ""};
  u.user = std::move(user);
  u.parsed = parse_update(command, text, ParseOptions{});
  return u;
}

TicketSnapshot snapshot(const Update& last, SysTime since) {
  TicketSnapshot t;
  t.key = last.parsed.tickets.at(0);
  t.owner = last.user;
  t.state = last.parsed.state;
  t.state_since = since;
  t.last_update_at = last.created_at;
  t.last_update = last;
  return t;
}

std::string link_to(const Update& u) {
  return "https://teams.microsoft.com/l/message/" + channel + "/" + std::to_string(1700000000000 + u.id);
}

const std::map<std::string, std::string> names{
    {"29:ana", "Ana Lima"}, {"29:bo", "Bo <b>Chen</b>"}, {"29:cy", "Cy_O'Neil*"}};
const std::vector<std::string> people{"29:ana", "29:bo", "29:cy"};

// A channel's day: `tickets` tickets, each with a few updates, some blocked, some quiet.
DigestInput channel_day(int tickets, int note_repeats) {
  DigestInput in;
  in.team = "tenant-1";
  in.channel = channel;
  in.window_start = nov(22);
  in.window_end = nov(23);
  in.names = names;
  in.link_to = link_to;
  std::int64_t id = 1;
  for (int i = 0; i < tickets; ++i) {
    const auto& who = people[static_cast<std::size_t>(i) % people.size()];
    const auto key = "ENG-" + std::to_string(100 + i);
    std::string note;
    for (int r = 0; r < note_repeats; ++r) note += (r == 0 ? "" : " ") + hostile;
    const char* states[] = {"on track", "blocked on OPS-7 review", "delayed +2d", "at risk", "done"};
    auto u = update(id++, who, Command::status, key + " " + states[i % 5] + ", " + note, nov(22, 10 + i % 12));
    in.updates.push_back(u);
    if (u.parsed.state == TicketState::blocked || u.parsed.state == TicketState::delayed ||
        u.parsed.state == TicketState::at_risk) {
      in.troubled.push_back(snapshot(u, nov(20)));
    }
    if (i % 7 == 3) {
      auto old = update(id++, who, Command::status, "ENG-" + std::to_string(900 + i) + " on track, " + note, nov(16));
      in.quiet.push_back(snapshot(old, nov(16)));
    }
    if (i % 6 == 1) {
      auto a = update(id++, who, Command::heads_up, "We assume the API stays v1 " + note, nov(21));
      a.parsed.kind = UpdateKind::assumption;
      in.open_assumptions.push_back(a);
    }
    if (i % 5 == 2)
      in.updates.push_back(update(id++, who, Command::heads_up, "heads-up: deploy freeze " + note, nov(22, 15)));
  }
  in.previous = DigestCounts{3, 2, 1, 1, 0};
  return in;
}

NudgeCandidate quiet_ticket(int i, const std::string& note) {
  NudgeCandidate c;
  c.team = "tenant-1";
  c.channel = channel;
  auto u = update(500 + i, i % 2 ? "29:bo" : "29:ana", Command::status,
                  "ENG-" + std::to_string(42 + i) + " on track, " + note + " https://acme.atlassian.net/browse/ENG-" +
                      std::to_string(42 + i),
                  nov(17, 10));
  c.ticket = snapshot(u, nov(17, 10));
  c.ticket.owner = "29:ana";
  return c;
}

NudgeDmContext dm_context() {
  NudgeDmContext context;
  context.names = names;
  context.link_to = link_to;
  context.owner_time_zone = "Europe/Berlin";
  context.spelling = teams_spelling;
  return context;
}

Message nudge_dm(int tickets, const std::string& note) {
  NudgePlan plan{"29:ana", {}};
  for (int i = 0; i < tickets; ++i) plan.tickets.push_back(quiet_ticket(i, note));
  return render_nudge_dm(plan, dm_context(), now);
}

TicketListInput ticket_list(int tickets) {
  TicketListInput in;
  in.names = names;
  in.spelling = teams_spelling;
  for (int i = 0; i < tickets; ++i) {
    auto u = update(700 + i, people[static_cast<std::size_t>(i) % people.size()], Command::status,
                    "OPS-" + std::to_string(i) + " at risk, " + hostile, nov(10 + i % 12));
    in.tickets.push_back(snapshot(u, nov(10)));
  }
  in.owners["29:bo"].nudges_off = true;
  in.snoozed_until["OPS-1"] = nov(25);
  return in;
}

Message timeline() {
  std::vector<Update> updates;
  for (int i = 0; i < 12; ++i) {
    updates.push_back(update(900 - i, people[static_cast<std::size_t>(i) % people.size()], Command::status,
                             "ENG-42 " + std::string(i % 2 ? "blocked on the *review*" : "on track, ") + hostile,
                             nov(22 - i)));
  }
  auto assumption = update(800, "29:cy", Command::heads_up, "ENG-42: we assume [v1](https://x.io/v1) stays", nov(9));
  assumption.parsed.kind = UpdateKind::assumption;
  updates.push_back(assumption);
  return render_timeline("ENG-42", updates, {}, {{800, "29:ana"}}, names, link_to);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: teams_card_samples DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  int written = 0;
  const auto write = [&](const std::string& name, const Message& message) {
    std::ofstream(dir / (name + ".json")) << teams::to_teams_activity(message).dump();
    ++written;
  };
  const auto write_digest = [&](const std::string& name, const DigestInput& in, const DigestOptions& options) {
    const auto digest = build_digest(in, options);
    for (std::size_t i = 0; i < digest.messages.size(); ++i) {
      write(name + "-" + std::to_string(i + 1), digest.messages[i]);
    }
  };

  // Digests: a quiet day, a busy one (threaded and not), and one whose sections outgrow a post.
  write_digest("digest-small", channel_day(2, 1), {});
  write_digest("digest-large", channel_day(40, 2), {});
  write_digest("digest-large-threaded", channel_day(40, 2), {.threaded = true});
  write_digest("digest-past-budget", channel_day(120, 3),
               {.items_per_section = 1000, .max_blocks = 1000, .max_section_bytes = 100'000});

  // Nudge DMs: one ticket, the most a DM shows, and after answers and stale clicks.
  write("nudge-one", nudge_dm(1, "draft PR up"));
  write("nudge-many", nudge_dm(14, hostile));
  auto answered = nudge_dm(3, "review pending");
  const auto first_value = encode_nudge_button({channel, "ENG-42", 500});
  answer_in_place(answered, first_value, render_nudge_answered(NudgeAnswer::updated, "ENG-42", channel));
  write("nudge-answered", answered);
  auto stale = nudge_dm(2, "review pending");
  answer_in_place(stale, first_value, render_stale_ticket(StaleTicket::moved_on, "ENG-42", teams_spelling));
  write("nudge-stale", stale);

  // The channel echo and the author's receipt.
  auto posted = update(77, "29:bo", Command::status,
                       "ENG-42 blocked on OPS-7 review https://acme.atlassian.net/browse/ENG-42 " + hostile, now);
  write("echo",
        render_echo(posted,
                    {plain("ENG-42 blocked on OPS-7 review — "), microalign::link("the review", "https://x.io/r"),
                     plain(" cc "), user_ref("29:ana", "Ana Lima", true), plain(" "), plain(hostile)},
                    "Bo <b>Chen</b>"));
  write("receipt", render_receipt(posted));

  // A decision's echo, its receipt, and the private listing of many.
  Decision decided;
  decided.id = 12;
  decided.created_at = now;
  decided.where = {"tenant-1", channel, ""};
  decided.owner = "29:ana";
  decided.parsed = std::get<ParsedDecision>(
      parse_decision(RichText{plain("supersedes D9: Storage " + hostile + ": PostgreSQL for ENG-42 because replicas " +
                                    hostile + " impact: ops " + hostile)},
                     {}, teams_spelling));
  write("decision-echo", render_decision_echo(decided, "Ana Lima"));
  write("decision-receipt", render_decision_receipt(decided));
  std::vector<Decision> log;
  for (int i = 1; i <= 30; ++i) {
    auto d = decided;
    d.id = i;
    if (i % 3 == 0) d.superseded_by = i + 1;
    log.push_back(d);
  }
  write("decisions", render_decision_list(log, "in the last 30 days", names, teams_spelling));

  // Private answers and notices.
  write("help", render_refusal(channel_command::help_text(teams_spelling)));
  write("not-saved", render_not_saved());
  write("nothing-changed", render_nothing_changed());
  write("invite-hint", render_invite_hint(teams_spelling));
  write("cannot-post", render_cannot_post(channel, "ConversationBlockedByUser", teams_spelling));
  write("away", render_refusal(
                    away_answer(std::chrono::year{2026} / 12 / 4, std::chrono::year{2026} / 11 / 23, teams_spelling)));
  write("snooze", render_refusal(snooze_answer("ENG-42", 3, snooze_end(now, 3), "Europe/Berlin", now)));
  write("owner", owner_answer("ENG-42", "29:bo", "Bo <b>Chen</b>"));
  write("stale-button", render_refusal(unknown_button_note(teams_spelling)));
  write("tickets-none", render_ticket_list(ticket_list(0), now));
  write("tickets", render_ticket_list(ticket_list(30), now));
  write("timeline", timeline());

  // Edge cases: nothing at all, and a fallback alone.
  write("empty", Message{});
  write("fallback-only", Message{"Saved " + hostile, {}});

  std::cout << "wrote " << written << " cards to " << dir.string() << "\n";
  return 0;
}
