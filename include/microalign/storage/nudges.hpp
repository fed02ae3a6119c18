// What nudges need to remember: people's time zones and nudge preferences (away, off), the last
// nudge DM each person got, channels' holidays, owners named by hand, snoozes, and which quiet
// period of a ticket was already nudged. Free functions over a Store; writes run inside a
// transaction (a CommitQueue item), like every write; outside one they throw std::logic_error.
// Dates are the person's or the channel's own calendar dates.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "microalign/core/nudge_policy.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::storage {

// ---- People
// Each setter creates the person's row when there is none yet (their name is learned when they
// post) and leaves the other settings and the name as they are.
void set_time_zone(Store&, const std::string& team, const std::string& user, const std::string& zone);
void set_away(Store&, const std::string& team, const std::string& user,
              std::optional<std::chrono::year_month_day> until);  // nullopt: back
void set_nudges_off(Store&, const std::string& team, const std::string& user, bool off);
void record_nudge_dm(Store&, const std::string& team, const std::string& user, SysTime at);
// Profiles for these users, each under their user id (defaults for people never seen: UTC,
// 09:00–17:00, nudges on). Working hours are not stored yet: everyone gets 09:00–17:00.
std::map<std::string, OwnerProfile> owner_profiles(Store&, const std::string& team,
                                                   const std::vector<std::string>& users);

// ---- Channels
// Every day from `from` to `to`, both included; days already marked stay marked. Throws
// std::invalid_argument for a date that is not valid, outside years 0–9999, or `to` before `from`.
void add_holidays(Store&, const std::string& team, const std::string& channel,
                  std::chrono::year_month_day from, std::chrono::year_month_day to);
Holidays channel_holidays(Store&, const std::string& team, const std::string& channel);

// ---- Tickets
// Each returns false, writing nothing, when the team has no ticket `key` (none was ever named).
//
// `/microalign owner ENG-42 @bob`: the named owner wins over "last poster of a status" until
// the next such naming. Throws std::invalid_argument for an empty user.
bool set_owner(Store&, const std::string& team, const std::string& key, const std::string& user);
// No nudge about the ticket before `until` (a later snooze replaces it; a past time ends it).
bool snooze(Store&, const std::string& team, const std::string& key, SysTime until);
// The ticket was nudged about its update `update_id` (the quiet period that update began).
bool record_nudge(Store&, const std::string& team, const std::string& key, std::int64_t update_id, SysTime at);

// Tickets, across every channel, that may be quiet at `now`: not done, with their last update
// at or before `not_updated_since` (the caller passes the shortest threshold any channel uses,
// in calendar days; the policy decides per owner and channel). With their channel's settings,
// holidays and nudge history (quiet_days 3 for a channel never configured). Ordered by team,
// owner, then oldest update first. Reads only open tickets, through an index: this runs over up
// to millions of tickets, most of them done.
std::vector<NudgeCandidate> nudge_candidates(Store&, SysTime not_updated_since);

// The channel's open tickets last updated at or before `not_updated_since` whose last update was
// nudged about (nudged_for_update_id), as in nudge_candidates, oldest update first: the digest
// asks quiet_after_reminder about them. Through the channel's open-ticket index.
std::vector<NudgeCandidate> nudged_quiet_tickets(Store&, const std::string& team,
                                                 const std::string& channel,
                                                 SysTime not_updated_since);

// The channel's open (not done) tickets, oldest update first, for `/microalign tickets`. Owners
// as in nudge_candidates: the one named by hand, if any.
std::vector<TicketSnapshot> open_tickets(Store&, const std::string& team, const std::string& channel);
// Of those, the ones snoozed past `now`: each key with when its snooze ends.
std::map<std::string, SysTime> snoozed_tickets(Store&, const std::string& team, const std::string& channel,
                                               SysTime now);

// Whether an update stored before update `update_id` named the ticket: `/microalign done ENG-42`
// stores its update first, then asks this in the same transaction to refuse a ticket nobody
// ever named (the command's own update must not make the ticket known).
bool ticket_named_before(Store&, const std::string& team, const std::string& key, std::int64_t update_id);

}  // namespace microalign::storage
