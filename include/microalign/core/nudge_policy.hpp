// Who gets a nudge about which quiet tickets, and when: the rules that keep nudges useful rather
// than naggy. Pure: the caller gathers the facts (storage) and sends the DMs (an adapter).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "microalign/core/digest.hpp"
#include "microalign/core/schedule.hpp"

namespace microalign {

// What we know about a ticket's owner.
struct OwnerProfile {
  std::string user;
  std::string time_zone;                               // IANA; empty (or unknown) → UTC
  std::chrono::minutes work_start{9 * 60};             // local working hours: [start, end)
  std::chrono::minutes work_end{17 * 60};
  std::optional<std::chrono::year_month_day> away_until;  // inclusive, owner-local date
  bool nudges_off = false;
  std::optional<SysTime> last_dm_at;  // the last nudge DM this person got
};

// A ticket that may be quiet, with the channel's rules and the ticket's nudge history.
struct NudgeCandidate {
  TicketSnapshot ticket;         // its owner is the last poster of a status, or the one named
  std::string team;
  std::string channel;
  int quiet_days = 3;            // the channel's threshold, in the owner's working days
  Holidays channel_holidays;     // non-working days marked for the channel
  std::optional<SysTime> snoozed_until;
  // Both set when a nudge about the ticket is sent: the ticket's last_update.id then, and when.
  std::int64_t nudged_for_update_id = 0;
  std::optional<SysTime> nudged_at;
};

// Why a ticket gets no nudge now. When several reasons apply, the first in this order is given:
// what the ticket is (done, not quiet, snoozed, ownerless) before what its owner asked for
// (away, nudges off), before what was already sent (this period's nudge), before timing (working
// hours, today's DM) — so the reason shown is the one that will still hold later.
enum class NudgeSkip {
  done, not_quiet, snoozed, no_owner, owner_away, nudges_off, already_nudged,
  outside_working_hours, already_messaged_today
};
// A fixed phrase for the CLI: "not quiet yet", "owner away", …
std::string_view to_string(NudgeSkip);

struct NudgePlan {
  std::string owner;
  std::vector<NudgeCandidate> tickets;  // batched into one DM, oldest last_update_at first
};

struct NudgeReport {
  std::vector<NudgePlan> nudges;                                   // to send now, by owner id
  std::vector<std::pair<NudgeCandidate, NudgeSkip>> skipped;       // and why not, in input order
};

// Quiet means not done and no sign of life (an update, or tracker activity) for the channel's
// quiet_days, counted in working days in the owner's time zone less the channel's holidays
// (schedule.hpp). An owner missing from `owners` gets a default profile (UTC, 09:00–17:00); so
// does an ownerless ticket, whose quietness is counted in UTC before it is skipped as no_owner. A
// nudge goes out only on a working day inside the owner's working hours, at most once per ticket
// per quiet period (a new update or tracker activity starts a new one), with all of an owner's
// tickets in one DM and at most one DM a day (owner-local dates). The candidates move into the
// report. O(n log n) in the candidates.
NudgeReport plan_nudges(std::vector<NudgeCandidate>,
                        const std::map<std::string, OwnerProfile>& owners, SysTime now);

// Nudged, no sign of life since, and still open a full quiet period after the nudge: the digest
// flags it ("quiet after a reminder").
bool quiet_after_reminder(const NudgeCandidate&, const OwnerProfile&, SysTime now);

}  // namespace microalign
