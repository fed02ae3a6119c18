// `/microalign tickets`: a channel's open tickets, one line each, for whoever asked. Pure; the
// adapter reads the facts and sends the Message as an ephemeral answer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "microalign/core/digest.hpp"
#include "microalign/core/message.hpp"
#include "microalign/core/nudge_policy.hpp"
#include "microalign/core/spelling.hpp"
#include "microalign/core/ticket_links.hpp"

namespace microalign {

struct TicketListInput {
  std::vector<TicketSnapshot> tickets;         // the channel's open tickets, oldest update first
  std::map<std::string, OwnerProfile> owners;  // by user id: their zone, whether they're away, nudges off
  std::map<std::string, SysTime> snoozed_until;  // by ticket key: no nudges about it before then
  std::string asker_zone;                      // whose calendar a snooze ends in (empty: UTC)
  std::map<std::string, std::string> names;    // user id → display name: named, never pinged
  int quiet_days = 3;                          // the channel's threshold, in working days
  Holidays holidays;                           // the channel's
  CommandSpelling spelling = slash_commands();  // how the asker types commands
  TrackerHomes ticket_links{};                  // where Jira and Linear keys link
};

// Tickets are shown this many at most, then "…and N more".
inline constexpr std::size_t ticket_list_max_lines = 20;

// One line per ticket: the key (a link to the tracker when known), its state, its age — "quiet
// 4 working days" once past the channel's threshold (counted as nudges count it: the owner's
// working days less the channel's holidays), else "updated 2 h ago"; a quiet ticket whose owner
// is away shows "owner away through Wed 2 Dec" instead — then "💤 snoozed until Fri 18 Dec" (the
// asker's calendar date) while a snooze lasts, and the owner's name, "(nudges off)" when they
// turned nudges off.
Message render_ticket_list(const TicketListInput&, SysTime now);

}  // namespace microalign
