// The nudge rules over an injected clock. Every date and hour is the owner's own, through the
// system tz database (date/tz.h: GCC 12 has no std::chrono::time_zone); working days are counted
// by schedule.hpp, so a ticket the digest calls quiet is the one its owner is nudged about.
#include "microalign/core/nudge_policy.hpp"

#include <algorithm>
#include <tuple>

#include <date/tz.h>

namespace microalign {
namespace {

using Date = std::chrono::year_month_day;

// An owner's profile with their wall clock at the moment being planned for.
struct OwnerNow {
  const OwnerProfile& profile;
  const date::time_zone& zone;
  Date today;
  std::chrono::milliseconds time_of_day;
};

Date local_date(date::local_days day) {
  return Date{std::chrono::local_days{day.time_since_epoch()}};
}

Date local_date(const date::time_zone& zone, SysTime at) {
  return local_date(date::floor<std::chrono::days>(zone.to_local(at)));
}

OwnerNow owner_at(const OwnerProfile& profile, SysTime now) {
  const auto& zone = zone_or_utc(profile.time_zone);
  const auto local = zone.to_local(now);
  const auto day = date::floor<std::chrono::days>(local);
  return {profile, zone, local_date(day), local - day};
}

// Each owner's clock is read once per plan: zone lookups are much of the cost of a large one.
class OwnerClocks {
 public:
  OwnerClocks(const std::map<std::string, OwnerProfile>& owners, SysTime now)
      : owners_(owners), now_(now) {}

  const OwnerNow& of(const std::string& user) {
    auto found = clocks_.find(user);
    if (found == clocks_.end()) {
      found = clocks_.emplace(user, owner_at(profile_of(user), now_)).first;
    }
    return found->second;
  }

 private:
  // Unknown owners get the defaults rather than no nudges: a profile may not be fetched yet.
  const OwnerProfile& profile_of(const std::string& user) const {
    static const OwnerProfile defaults;
    const auto found = owners_.find(user);
    return found == owners_.end() ? defaults : found->second;
  }

  const std::map<std::string, OwnerProfile>& owners_;
  SysTime now_;
  std::map<std::string, OwnerNow> clocks_;
};

// An update (or a nudge) at or before this instant is a full quiet period old.
SysTime quiet_period_start(const NudgeCandidate& c, const OwnerProfile& owner, SysTime now) {
  return working_days_before(now, c.quiet_days, owner.time_zone, c.channel_holidays);
}

bool is_quiet(const NudgeCandidate& c, const OwnerProfile& owner, SysTime now) {
  return c.ticket.last_update_at <= quiet_period_start(c, owner, now);
}

bool is_done(const TicketSnapshot& t) { return t.state == TicketState::done; }

// Nudged and no sign of life since, in chat or in a tracker: still the quiet period the nudge
// was about.
bool nudged_this_period(const NudgeCandidate& c) {
  return c.nudged_at && c.nudged_for_update_id == c.ticket.last_update.id && c.ticket.last_update_at <= *c.nudged_at;
}

bool is_away(const OwnerNow& owner) {
  return owner.profile.away_until && *owner.profile.away_until >= owner.today;
}

bool messaged_today(const OwnerNow& owner) {
  const auto& last = owner.profile.last_dm_at;
  return last && local_date(owner.zone, *last) == owner.today;
}

// On a working day the working-day clock (schedule.hpp) reads `now` itself; on a weekend or a
// holiday it stands at the end of the last working day, before `now`. Asking it keeps one
// definition of a working day. (The second pass of an hour repeated at a DST change also reads
// as off work; such hours are at night.)
bool on_working_day(const OwnerNow& owner, const Holidays& holidays, SysTime now) {
  return working_days_before(now, 0, owner.profile.time_zone, holidays) == now;
}

bool in_working_hours(const OwnerNow& owner, const Holidays& holidays, SysTime now) {
  const auto& p = owner.profile;
  return p.work_start <= owner.time_of_day && owner.time_of_day < p.work_end &&
         on_working_day(owner, holidays, now);
}

// The checks in NudgeSkip's order of precedence: the first that applies is the reason.
std::optional<NudgeSkip> skip_reason(const NudgeCandidate& c, const OwnerNow& owner, SysTime now) {
  if (is_done(c.ticket)) return NudgeSkip::done;
  if (!is_quiet(c, owner.profile, now)) return NudgeSkip::not_quiet;
  if (c.snoozed_until && *c.snoozed_until > now) return NudgeSkip::snoozed;
  if (c.ticket.owner.empty()) return NudgeSkip::no_owner;
  if (is_away(owner)) return NudgeSkip::owner_away;
  if (owner.profile.nudges_off) return NudgeSkip::nudges_off;
  if (nudged_this_period(c)) return NudgeSkip::already_nudged;
  if (!in_working_hours(owner, c.channel_holidays, now)) return NudgeSkip::outside_working_hours;
  if (messaged_today(owner)) return NudgeSkip::already_messaged_today;
  return std::nullopt;
}

// Oldest first; the rest only makes ties come out the same every time.
bool oldest_first(const NudgeCandidate& a, const NudgeCandidate& b) {
  return std::tie(a.ticket.last_update_at, a.ticket.key, a.team, a.channel) <
         std::tie(b.ticket.last_update_at, b.ticket.key, b.team, b.channel);
}

}  // namespace

std::string_view to_string(NudgeSkip skip) {
  switch (skip) {
    case NudgeSkip::done: return "done";
    case NudgeSkip::not_quiet: return "not quiet yet";
    case NudgeSkip::snoozed: return "snoozed";
    case NudgeSkip::no_owner: return "no owner";
    case NudgeSkip::owner_away: return "owner away";
    case NudgeSkip::nudges_off: return "owner turned nudges off";
    case NudgeSkip::already_nudged: return "already nudged since its last update";
    case NudgeSkip::outside_working_hours: return "outside the owner's working hours";
    case NudgeSkip::already_messaged_today: return "owner already had a nudge today";
  }
  return "unknown";
}

NudgeReport plan_nudges(std::vector<NudgeCandidate> candidates,
                        const std::map<std::string, OwnerProfile>& owners, SysTime now) {
  NudgeReport report;
  report.skipped.reserve(candidates.size());  // most candidates are skipped: not quiet yet
  std::map<std::string, std::vector<NudgeCandidate>> batches;  // keyed by owner: plans in order
  OwnerClocks clocks(owners, now);
  for (auto& c : candidates) {
    if (const auto skip = skip_reason(c, clocks.of(c.ticket.owner), now)) {
      report.skipped.emplace_back(std::move(c), *skip);
    } else {
      batches[c.ticket.owner].push_back(std::move(c));
    }
  }
  for (auto& [owner, tickets] : batches) {
    std::ranges::sort(tickets, oldest_first);
    report.nudges.push_back(NudgePlan{owner, std::move(tickets)});
  }
  return report;
}

bool quiet_after_reminder(const NudgeCandidate& c, const OwnerProfile& owner, SysTime now) {
  return !is_done(c.ticket) && nudged_this_period(c) &&
         *c.nudged_at <= quiet_period_start(c, owner, now);
}

}  // namespace microalign
