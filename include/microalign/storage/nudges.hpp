// What nudges need to remember: people's time zones and nudge preferences (away, off), the last
// nudge DM each person got, channels' holidays, owners named by hand, snoozes, and which quiet
// period of a ticket was already nudged.
// Dates are the person's or the channel's own calendar dates.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "microalign/core/nudge_policy.hpp"

namespace microalign::storage {

// What nudges remember, and the ticket reads behind them.
class Nudges {
 public:
  // ---- People
  // Each setter creates the person's row when there is none yet (their name is learned when they
  // post) and leaves the other settings and the name as they are.
  virtual void set_time_zone(const std::string& team, const std::string& user, const std::string& zone) = 0;

  virtual void set_away(const std::string& team, const std::string& user,
                        std::optional<std::chrono::year_month_day> until) = 0;  // nullopt: back

  virtual void set_nudges_off(const std::string& team, const std::string& user, bool off) = 0;

  virtual void record_nudge_dm(const std::string& team, const std::string& user, SysTime at) = 0;

  // Profiles for these users, each under their user id (defaults for people never seen: UTC,
  // 09:00–17:00, nudges on). Working hours are not stored yet: everyone gets 09:00–17:00.
  virtual std::map<std::string, OwnerProfile> owner_profiles(const std::string& team,
                                                             const std::vector<std::string>& users) = 0;

  // ---- Channels
  // Every day from `from` to `to`, both included; days already marked stay marked. Throws
  // std::invalid_argument for a date that is not valid, outside years 0–9999, or `to` before `from`.
  virtual void add_holidays(const std::string& team, const std::string& channel, std::chrono::year_month_day from,
                            std::chrono::year_month_day to) = 0;

  virtual Holidays channel_holidays(const std::string& team, const std::string& channel) = 0;

  // ---- Tickets
  // Each returns false, writing nothing, when the team has no ticket `key` (none was ever named).
  //
  // `/microalign owner ENG-42 @bob`: the named owner wins over "last poster of a status" until
  // the next such naming. Throws std::invalid_argument for an empty user.
  virtual bool set_owner(const std::string& team, const std::string& key, const std::string& user) = 0;

  // No nudge about the ticket before `until` (a later snooze replaces it; a past time ends it).
  virtual bool snooze(const std::string& team, const std::string& key, SysTime until) = 0;

  // The ticket was nudged about its update `update_id` (the quiet period that update began).
  // False, recording nothing, when it was nudged about that update already (by another replica
  // at the same moment, say) or is not known.
  virtual bool record_nudge(const std::string& team, const std::string& key, std::int64_t update_id, SysTime at) = 0;

  // Tickets, across every channel, that may be quiet at `now`: not done, with their last update
  // at or before `not_updated_since` (the caller passes the shortest threshold any channel uses,
  // in calendar days; the policy decides per owner and channel). With their channel's settings,
  // holidays and nudge history (quiet_days 3 for a channel never configured). Ordered by team,
  // owner, then oldest update first. Reads only open tickets, through an index: this runs over up
  // to millions of tickets, most of them done.
  virtual std::vector<NudgeCandidate> nudge_candidates(SysTime not_updated_since) = 0;

  // The channel's open tickets last updated at or before `not_updated_since` whose last update was
  // nudged about (nudged_for_update_id), as in nudge_candidates, oldest update first: the digest
  // asks quiet_after_reminder about them. Through the channel's open-ticket index.
  virtual std::vector<NudgeCandidate> nudged_quiet_tickets(const std::string& team, const std::string& channel,
                                                           SysTime not_updated_since) = 0;

  // The channel's open (not done) tickets, oldest update first, for `/microalign tickets`. Owners
  // as in nudge_candidates: the one named by hand, if any.
  virtual std::vector<TicketSnapshot> open_tickets(const std::string& team, const std::string& channel) = 0;

  // Of those, the ones snoozed past `now`: each key with when its snooze ends.
  virtual std::map<std::string, SysTime> snoozed_tickets(const std::string& team, const std::string& channel,
                                                         SysTime now) = 0;

  // Whether an update stored before update `update_id` named the ticket: `/microalign done ENG-42`
  // stores its update first, then asks this in the same transaction to refuse a ticket nobody
  // ever named (the command's own update must not make the ticket known).
  virtual bool ticket_named_before(const std::string& team, const std::string& key, std::int64_t update_id) = 0;

 protected:
  ~Nudges() = default;
};

}  // namespace microalign::storage
