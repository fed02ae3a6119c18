// Digest runs and working days in a channel's own time zone. Wall-clock times become instants
// through the system tz database (Howard Hinnant's date library: GCC 12 has no
// std::chrono::time_zone), so the rules follow whatever DST changes the OS knows about.
#include "microalign/core/schedule.hpp"

#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include <date/tz.h>

namespace microalign {
namespace {

using std::chrono::days;
using Cadence = DigestSchedule::Cadence;
using LocalDay = date::local_days;
using LocalTime = date::local_time<std::chrono::milliseconds>;

// Runs are at most a week apart, so a week of local days (plus one either side of the starting
// day, where a DST change near midnight can move a run across the date line) holds the next one.
constexpr days week{7};

// nullptr when the name is not an IANA zone the system knows. ".." is refused before the lookup
// so a name can never walk the zoneinfo directory.
const date::time_zone* look_up_zone(std::string_view name) {
  if (name.empty() || name.find("..") != std::string_view::npos) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return nullptr;
  }
}

// As look_up_zone, remembered: the tz database does not change while the process runs. Names
// come from people, so the memory is bounded (a few hundred zones exist).
const date::time_zone* find_zone(std::string_view name) {
  constexpr std::size_t max_remembered = 1024;
  thread_local std::map<std::string, const date::time_zone*, std::less<>> remembered;
  if (auto known = remembered.find(name); known != remembered.end()) return known->second;
  if (remembered.size() >= max_remembered) remembered.clear();
  return remembered.emplace(std::string(name), look_up_zone(name)).first->second;
}

std::chrono::weekday weekday_of(LocalDay day) {
  return std::chrono::weekday{std::chrono::local_days{day.time_since_epoch()}};
}

bool is_weekend(std::chrono::weekday day) {
  return day == std::chrono::Saturday || day == std::chrono::Sunday;
}

LocalDay local_day_of(const date::time_zone& zone, SysTime at) {
  return date::floor<days>(zone.to_local(at));
}

// When a wall-clock time happens: a time skipped by a DST change happens at the first instant
// after the gap, a time that happens twice at its first occurrence.
SysTime instant_of(const date::time_zone& zone, LocalTime local) {
  return zone.to_sys(local, date::choose::earliest);
}

// ---- Digest runs --------------------------------------------------------------------------------

bool runs_on(const DigestSchedule& schedule, std::chrono::weekday day) {
  switch (schedule.cadence) {
    case Cadence::off: return false;
    case Cadence::daily: return true;
    case Cadence::weekdays: return !is_weekend(day);
    case Cadence::weekly: return day == schedule.day;
  }
  return false;
}

// The zone a schedule runs in, or nullptr when it does not run at all.
const date::time_zone* running_zone(const DigestSchedule& schedule, std::string_view time_zone) {
  return schedule.cadence == Cadence::off ? nullptr : find_zone(time_zone);
}

std::optional<SysTime> run_on(const DigestSchedule& schedule, const date::time_zone& zone,
                              LocalDay day) {
  if (!runs_on(schedule, weekday_of(day))) return std::nullopt;
  return instant_of(zone, day + schedule.time_of_day);
}

std::string clock_time(std::chrono::minutes time_of_day) {
  const auto hours = std::chrono::floor<std::chrono::hours>(time_of_day);
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%02d:%02d", static_cast<int>(hours.count()),
                static_cast<int>((time_of_day - hours).count()));
  return text.data();
}

// ---- Working days -------------------------------------------------------------------------------

bool is_working_day(LocalDay day, const Holidays& holidays) {
  if (is_weekend(weekday_of(day))) return false;
  const std::chrono::year_month_day date{std::chrono::local_days{day.time_since_epoch()}};
  return !holidays.contains(date);
}

LocalDay previous_working_day(LocalDay day, const Holidays& holidays) {
  do {
    day -= days{1};
  } while (!is_working_day(day, holidays));
  return day;
}

// A reading of the working-day clock (see schedule.hpp): a working day and how far into it.
struct WorkingClock {
  LocalDay day;
  std::chrono::milliseconds into_day{};
};

WorkingClock working_clock_at(const date::time_zone& zone, SysTime at, const Holidays& holidays) {
  const auto local = zone.to_local(at);
  const auto day = date::floor<days>(local);
  if (is_working_day(day, holidays)) return {day, local - day};
  return {previous_working_day(day, holidays), days{1}};
}

SysTime instant_of(const date::time_zone& zone, const WorkingClock& clock) {
  return instant_of(zone, clock.day + clock.into_day);
}

}  // namespace

std::string describe(const DigestSchedule& schedule) {
  std::string cadence;
  switch (schedule.cadence) {
    case Cadence::off: return "off";
    case Cadence::daily: cadence = "daily"; break;
    case Cadence::weekdays: cadence = "weekdays"; break;
    case Cadence::weekly:
      cadence = "weekly " + std::string(weekday_name(schedule.day).substr(0, 3));
      break;
  }
  return cadence + " " + clock_time(schedule.time_of_day) + (schedule.threaded ? " thread" : "");
}

std::string_view weekday_name(std::chrono::weekday day) {
  constexpr auto names = std::to_array<std::string_view>(
      {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"});
  return names.at(day.c_encoding());
}

bool is_known_time_zone(std::string_view name) { return find_zone(name) != nullptr; }

const date::time_zone& zone_or_utc(std::string_view time_zone) {
  const auto* zone = find_zone(time_zone);
  return zone ? *zone : *find_zone("UTC");
}

std::optional<SysTime> next_run(const DigestSchedule& schedule, std::string_view time_zone,
                                SysTime after) {
  const auto* zone = running_zone(schedule, time_zone);
  if (!zone) return std::nullopt;
  const auto today = local_day_of(*zone, after);
  // Days in order give runs in order: the first one after `after` is the next.
  for (auto day = today - days{1}; day <= today + week; day += days{1}) {
    if (const auto run = run_on(schedule, *zone, day); run && *run > after) return run;
  }
  return std::nullopt;
}

std::optional<SysTime> previous_run(const DigestSchedule& schedule, std::string_view time_zone,
                                    SysTime at) {
  const auto* zone = running_zone(schedule, time_zone);
  if (!zone) return std::nullopt;
  const auto today = local_day_of(*zone, at);
  for (auto day = today + days{1}; day >= today - week; day -= days{1}) {
    if (const auto run = run_on(schedule, *zone, day); run && *run <= at) return run;
  }
  return std::nullopt;
}

std::optional<DueDigest> due_digest(const DigestSchedule& schedule, std::string_view time_zone,
                                    std::optional<SysTime> last_posted_for, SysTime now,
                                    std::chrono::hours max_lateness) {
  const auto slot = previous_run(schedule, time_zone, now);
  if (!slot || (last_posted_for && *last_posted_for >= *slot)) return std::nullopt;
  return DueDigest{*slot, now - *slot > max_lateness};
}

SysTime working_days_before(SysTime now, int working_days, std::string_view time_zone,
                            const Holidays& holidays) {
  const auto& zone = zone_or_utc(time_zone);
  auto clock = working_clock_at(zone, now, holidays);
  for (int step = 0; step < working_days; ++step) {
    clock.day = previous_working_day(clock.day, holidays);
  }
  return instant_of(zone, clock);
}

int working_days_between(SysTime from, SysTime to, std::string_view time_zone,
                         const Holidays& holidays) {
  const auto& zone = zone_or_utc(time_zone);
  auto clock = working_clock_at(zone, to, holidays);
  int working_days = 0;
  // Each step back is a whole working day earlier, so this stops once it passes `from`.
  for (;;) {
    clock.day = previous_working_day(clock.day, holidays);
    if (instant_of(zone, clock) < from) return working_days;
    ++working_days;
  }
}

}  // namespace microalign
