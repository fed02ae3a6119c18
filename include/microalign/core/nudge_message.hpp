// The nudge DM: one section per quiet ticket, each with buttons that answer it in one click.
// Pure; the platform's adapter renders the Message, and the application acts on the buttons.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/message.hpp"
#include "microalign/core/nudge_policy.hpp"
#include "microalign/core/spelling.hpp"
#include "microalign/core/ticket_links.hpp"

namespace microalign {

// The buttons' action ids. Changing one strands the buttons of DMs already sent (they get the
// "stale button" answer), so these are part of the wire format.
namespace nudge_action {
inline constexpr std::string_view on_track = "nudge.on_track";
inline constexpr std::string_view post_update = "nudge.post_update";
inline constexpr std::string_view snooze = "nudge.snooze";
inline constexpr std::string_view done = "nudge.done";
}  // namespace nudge_action

// "Snooze 2 days" snoozes for this many calendar days.
inline constexpr int nudge_button_snooze_days = 2;

// What each of a ticket's buttons carries: the ticket, the channel it is discussed in, and the
// update the nudge was about (a click after a newer update is out of date).
struct NudgeButtonValue {
  std::string channel;
  std::string key;
  std::int64_t update_id = 0;

  bool operator==(const NudgeButtonValue&) const = default;
};

// A short, readable string ("C0123 ENG-42 1234"), far below Slack's 2,000-character limit for
// any channel id and ticket key we store. nullopt for anything not made by encode.
std::string encode_nudge_button(const NudgeButtonValue&);
std::optional<NudgeButtonValue> decode_nudge_button(std::string_view);

struct NudgeDmContext {
  std::map<std::string, std::string> names;           // user id → display name: never pinged
  std::function<std::string(const Update&)> link_to;  // permalink to an update's echo, or ""
  std::string owner_time_zone;                        // IANA; empty → UTC
  CommandSpelling spelling = slash_commands();        // how the owner types commands
  // A DM stays short: past this many tickets the rest are counted, and `tickets` lists them. Ten
  // keep a Slack DM far below Block Kit's 50 blocks; a Teams card holds fewer (its form inside).
  std::size_t max_tickets = 10;
  TrackerHomes ticket_links{};  // where Jira and Linear keys link
};

// One owner's quiet tickets in one DM: a short opening line, then per ticket a section (the
// ticket, its channel, its last state and note, how long it has been quiet, a link to the last
// update) and an Actions block with the four buttons (still on track, post an update, snooze
// 2 days, done), each carrying the ticket's NudgeButtonValue.
Message render_nudge_dm(const NudgePlan&, const NudgeDmContext&, SysTime now);

// Once a ticket of the DM is answered: replaces the actions block holding a button with `value`
// (that ticket's buttons) by `outcome`, as small print, so the DM never invites a second click.
// False, changing nothing, when no block holds one (answered already).
bool answer_in_place(Message& dm, std::string_view button_value, const RichText& outcome);

}  // namespace microalign
