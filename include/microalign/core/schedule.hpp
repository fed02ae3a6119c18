// When digests are due, computed in a channel's own time zone with the system tz database, and
// how working days are counted. Pure: every function takes the time it reasons about.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "microalign/core/model.hpp"

namespace date {
class time_zone;
}

namespace microalign {

struct DigestSchedule {
  enum class Cadence { off, daily, weekdays, weekly };
  Cadence cadence = Cadence::off;
  std::chrono::minutes time_of_day{9 * 60};        // local wall-clock time, 00:00–23:59
  std::chrono::weekday day = std::chrono::Monday;  // weekly only
  bool threaded = false;  // long sections go in a thread reply under a short summary

  bool operator==(const DigestSchedule&) const = default;
};

// "daily 09:30", "weekdays 17:00", "weekly mon 09:00", "off" (+ " thread" when threaded; an
// off schedule is just "off"). `/microalign digest <description>` sets the same schedule again.
std::string describe(const DigestSchedule&);

// A weekday's English name in lower case: "monday" … "sunday".
std::string_view weekday_name(std::chrono::weekday);

// True when the system tz database knows this IANA name, spelled exactly ("Europe/Berlin", "UTC").
bool is_known_time_zone(std::string_view);

// The zone with this IANA name, or UTC when the name is empty or unknown: how every calendar in
// microalign reads a zone it cannot vouch for. Lookups are remembered (per thread): planning
// nudges asks once per candidate.
const date::time_zone& zone_or_utc(std::string_view);

// The first scheduled run strictly after `after`. A local time that does not exist on a day
// (skipped by a DST change) runs at the first instant after the gap; one that happens twice
// runs at its first occurrence, so a 09:00 digest stays at 09:00 local all year.
// nullopt when the schedule is off or the zone unknown.
std::optional<SysTime> next_run(const DigestSchedule&, std::string_view time_zone, SysTime after);

// The latest scheduled run at or before `at` (nullopt as above).
std::optional<SysTime> previous_run(const DigestSchedule&, std::string_view time_zone, SysTime at);

// What to do about the digest most recently due. `last_posted_for` is the scheduled time of the
// last digest recorded for the channel.
struct DueDigest {
  SysTime scheduled_for;
  bool too_late = false;  // missed by more than the allowed lateness: skip it (and log)
};
// nullopt when nothing is due (off, or the latest scheduled run was already recorded).
std::optional<DueDigest> due_digest(const DigestSchedule&, std::string_view time_zone,
                                    std::optional<SysTime> last_posted_for, SysTime now,
                                    std::chrono::hours max_lateness = std::chrono::hours(6));

// Working days are Monday to Friday in `time_zone`, less `holidays` (local dates). An unknown
// zone counts in UTC.
//
// Quietness is measured on a clock that runs only on working days: each one is a whole local
// day (00:00 to 24:00 wall-clock time), weekends and holidays are skipped. On a working day the
// clock reads the local time of day; on a weekend or holiday it stands at the end of the last
// working day before it. One working day is one such local day on that clock, so DST changes
// do not shift it: 10:00 local stays 10:00 local. For example, in one zone:
//   now Wednesday 10:00, 3 days  → the Friday before, 10:00  (Wed → Tue → Mon → Fri)
//   now Monday 10:00, 1 day      → the Friday before, 10:00
//   now Saturday 15:00, 1 day    → Friday 00:00 (the clock stands at the end of Friday)
using Holidays = std::set<std::chrono::year_month_day>;

// The instant `days` working days before `now`: an update at or before it has been quiet for at
// least `days` working days. (`days` ≤ 0 gives where the clock stands at `now`.)
SysTime working_days_before(SysTime now, int days, std::string_view time_zone,
                            const Holidays& holidays = {});

// Whole working days from `from` to `to` (0 when `to` is not after `from`): the largest n with
// working_days_before(to, n) at or after `from`, so the two functions always agree.
int working_days_between(SysTime from, SysTime to, std::string_view time_zone,
                         const Holidays& holidays = {});

}  // namespace microalign
