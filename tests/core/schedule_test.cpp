// When digests run and how working days count, with the clock passed in as plain instants.
// Expected instants are worked out by hand in UTC; `local()` shows the same instant on the
// channel's wall clock, so each check reads as "09:00 local, which is 08:00 UTC that day".
#include <catch2/catch.hpp>

#include <date/tz.h>

#include "microalign/core/schedule.hpp"

namespace microalign {
namespace {

using namespace std::chrono_literals;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::year_month_day;
using Cadence = DigestSchedule::Cadence;

constexpr std::string_view berlin = "Europe/Berlin";
constexpr std::string_view new_york = "America/New_York";

SysTime utc(year_month_day date, hours hour, minutes minute = 0min) {
  return std::chrono::sys_days{date} + hour + minute;
}

// "2026-03-29 09:00 CEST": the instant on the zone's wall clock.
std::string local(std::string_view zone, std::optional<SysTime> at) {
  if (!at) return "none";
  return date::format("%F %R %Z", date::zoned_time{date::locate_zone(zone), *at});
}

DigestSchedule at(Cadence cadence, hours hour, minutes minute = 0min) {
  DigestSchedule schedule;
  schedule.cadence = cadence;
  schedule.time_of_day = hour + minute;
  return schedule;
}

DigestSchedule weekly(std::chrono::weekday day, hours hour, minutes minute = 0min) {
  auto schedule = at(Cadence::weekly, hour, minute);
  schedule.day = day;
  return schedule;
}

// ---- describe, weekday names, zones -------------------------------------------------------------

TEST_CASE("describe() reads like the command that sets the schedule", "[schedule]") {
  CHECK(describe(at(Cadence::daily, 9h, 30min)) == "daily 09:30");
  CHECK(describe(at(Cadence::weekdays, 17h)) == "weekdays 17:00");
  CHECK(describe(weekly(std::chrono::Monday, 9h)) == "weekly mon 09:00");
  CHECK(describe(weekly(std::chrono::Sunday, 0h, 5min)) == "weekly sun 00:05");
  CHECK(describe(DigestSchedule{}) == "off");

  auto threaded = at(Cadence::daily, 23h, 59min);
  threaded.threaded = true;
  CHECK(describe(threaded) == "daily 23:59 thread");
  threaded.cadence = Cadence::off;
  CHECK(describe(threaded) == "off");
}

TEST_CASE("weekday names are lower-case English", "[schedule]") {
  CHECK(weekday_name(std::chrono::Monday) == "monday");
  CHECK(weekday_name(std::chrono::Wednesday) == "wednesday");
  CHECK(weekday_name(std::chrono::Sunday) == "sunday");
}

TEST_CASE("time zones are IANA names the system tz database knows, spelled exactly",
          "[schedule]") {
  for (const auto* zone : {"Europe/Berlin", "America/New_York", "Asia/Kolkata",
                           "Pacific/Auckland", "America/Los_Angeles", "UTC"}) {
    INFO(zone);
    CHECK(is_known_time_zone(zone));
  }
  for (const auto* zone : {"", "Mars/Olympus_Mons", "europe/berlin", "Europe/Berlin ",
                           "Europe/../Europe/Berlin", "../../etc/passwd", "CET+1"}) {
    INFO(zone);
    CHECK_FALSE(is_known_time_zone(zone));
  }
}

// ---- Daily, weekdays, weekly --------------------------------------------------------------------

TEST_CASE("daily: the next run is strictly after, the previous one at or before", "[schedule]") {
  const auto daily = at(Cadence::daily, 9h, 30min);
  const auto day_before = 2026y / std::chrono::January / 13;
  const auto day = 2026y / std::chrono::January / 14;
  const auto day_after = 2026y / std::chrono::January / 15;
  CHECK(next_run(daily, "UTC", utc(day, 9h, 29min)) == utc(day, 9h, 30min));
  CHECK(next_run(daily, "UTC", utc(day, 9h, 30min)) == utc(day_after, 9h, 30min));
  CHECK(previous_run(daily, "UTC", utc(day, 9h, 30min)) == utc(day, 9h, 30min));
  CHECK(previous_run(daily, "UTC", utc(day, 9h, 29min)) == utc(day_before, 9h, 30min));
  // Runs fall on Saturdays and Sundays too.
  CHECK(next_run(daily, "UTC", utc(2026y / std::chrono::January / 17, 10h)) ==
        utc(2026y / std::chrono::January / 18, 9h, 30min));
}

TEST_CASE("runs are at whole minutes whatever the precision of the clock", "[schedule]") {
  const auto after = utc(2026y / std::chrono::January / 14, 9h) + 1234ms;
  const auto run = next_run(at(Cadence::daily, 9h, 1min), "Asia/Kolkata", after);
  REQUIRE(run);
  CHECK(run->time_since_epoch() % minutes{1} == 0ms);
}

TEST_CASE("weekdays: Friday's run is followed by Monday's", "[schedule]") {
  const auto weekdays = at(Cadence::weekdays, 17h);
  const auto friday = 2026y / std::chrono::January / 16;
  const auto monday = 2026y / std::chrono::January / 19;
  CHECK(next_run(weekdays, berlin, utc(friday, 16h)) == utc(monday, 16h));
  CHECK(local(berlin, next_run(weekdays, berlin, utc(friday, 16h))) == "2026-01-19 17:00 CET");
  CHECK(local(berlin, previous_run(weekdays, berlin, utc(monday, 12h))) ==
        "2026-01-16 17:00 CET");
  CHECK(local(berlin, next_run(weekdays, berlin, utc(monday, 12h))) == "2026-01-19 17:00 CET");
}

TEST_CASE("weekly: the given weekday, across month and year boundaries", "[schedule]") {
  const auto thursdays = weekly(std::chrono::Thursday, 9h);
  // Friday 2025-12-26 → Thursday 2026-01-01 (a new year), then Thursday 2026-01-08.
  const auto new_year = next_run(thursdays, berlin, utc(2025y / std::chrono::December / 26, 12h));
  CHECK(local(berlin, new_year) == "2026-01-01 09:00 CET");
  CHECK(local(berlin, next_run(thursdays, berlin, *new_year)) == "2026-01-08 09:00 CET");
  CHECK(local(berlin, previous_run(thursdays, berlin, *new_year - 1min)) ==
        "2025-12-25 09:00 CET");

  const auto mondays = weekly(std::chrono::Monday, 9h);
  CHECK(local(berlin, next_run(mondays, berlin, utc(2026y / std::chrono::January / 27, 12h))) ==
        "2026-02-02 09:00 CET");
  // On the day itself, before and after the time.
  const auto monday = 2026y / std::chrono::February / 2;
  CHECK(next_run(mondays, "UTC", utc(monday, 8h)) == utc(monday, 9h));
  CHECK(next_run(mondays, "UTC", utc(monday, 9h)) == utc(2026y / std::chrono::February / 9, 9h));
  CHECK(previous_run(mondays, "UTC", utc(monday, 9h)) == utc(monday, 9h));
  CHECK(previous_run(mondays, "UTC", utc(monday, 8h)) ==
        utc(2026y / std::chrono::January / 26, 9h));
}

TEST_CASE("no runs when the schedule is off or the zone unknown", "[schedule]") {
  const auto now = utc(2026y / std::chrono::January / 14, 12h);
  CHECK_FALSE(next_run(DigestSchedule{}, berlin, now));
  CHECK_FALSE(previous_run(DigestSchedule{}, berlin, now));
  CHECK_FALSE(next_run(at(Cadence::daily, 9h), "Mars/Olympus_Mons", now));
  CHECK_FALSE(previous_run(at(Cadence::daily, 9h), "", now));
}

// ---- Daylight saving time -----------------------------------------------------------------------

// The next run after each run, starting two days before a DST change: four consecutive runs.
std::vector<std::string> runs_from(const DigestSchedule& schedule, std::string_view zone,
                                   SysTime start) {
  std::vector<std::string> runs;
  for (auto run = next_run(schedule, zone, start); run && runs.size() < 4;
       run = next_run(schedule, zone, *run)) {
    runs.push_back(local(zone, run));
  }
  return runs;
}

using Lines = std::vector<std::string>;

TEST_CASE("a 09:00 digest stays at 09:00 local across DST changes in Berlin", "[schedule]") {
  const auto daily = at(Cadence::daily, 9h);
  // Spring forward on Sunday 2026-03-29 (02:00 CET → 03:00 CEST).
  CHECK(runs_from(daily, berlin, utc(2026y / std::chrono::March / 27, 12h)) ==
        Lines{"2026-03-28 09:00 CET", "2026-03-29 09:00 CEST", "2026-03-30 09:00 CEST",
              "2026-03-31 09:00 CEST"});
  CHECK(next_run(daily, berlin, utc(2026y / std::chrono::March / 28, 12h)) ==
        utc(2026y / std::chrono::March / 29, 7h));  // the day before it was 08:00 UTC
  // Fall back on Sunday 2026-10-25 (03:00 CEST → 02:00 CET).
  CHECK(runs_from(daily, berlin, utc(2026y / std::chrono::October / 23, 12h)) ==
        Lines{"2026-10-24 09:00 CEST", "2026-10-25 09:00 CET", "2026-10-26 09:00 CET",
              "2026-10-27 09:00 CET"});
  CHECK(next_run(daily, berlin, utc(2026y / std::chrono::October / 24, 12h)) ==
        utc(2026y / std::chrono::October / 25, 8h));  // the day before it was 07:00 UTC
}

TEST_CASE("a 09:00 digest stays at 09:00 local across DST changes in New York", "[schedule]") {
  const auto daily = at(Cadence::daily, 9h);
  // Spring forward on Sunday 2026-03-08 (02:00 EST → 03:00 EDT).
  CHECK(runs_from(daily, new_york, utc(2026y / std::chrono::March / 6, 18h)) ==
        Lines{"2026-03-07 09:00 EST", "2026-03-08 09:00 EDT", "2026-03-09 09:00 EDT",
              "2026-03-10 09:00 EDT"});
  CHECK(previous_run(daily, new_york, utc(2026y / std::chrono::March / 8, 18h)) ==
        utc(2026y / std::chrono::March / 8, 13h));  // the day before it was 14:00 UTC
  // Fall back on Sunday 2026-11-01 (02:00 EDT → 01:00 EST).
  CHECK(runs_from(daily, new_york, utc(2026y / std::chrono::October / 30, 18h)) ==
        Lines{"2026-10-31 09:00 EDT", "2026-11-01 09:00 EST", "2026-11-02 09:00 EST",
              "2026-11-03 09:00 EST"});
  CHECK(previous_run(daily, new_york, utc(2026y / std::chrono::November / 1, 18h)) ==
        utc(2026y / std::chrono::November / 1, 14h));  // the day before it was 13:00 UTC
}

TEST_CASE("a time skipped by spring-forward runs at the first instant after the gap",
          "[schedule]") {
  const auto half_past_two = at(Cadence::daily, 2h, 30min);
  CHECK(runs_from(half_past_two, new_york, utc(2026y / std::chrono::March / 7, 12h)) ==
        Lines{"2026-03-08 03:00 EDT", "2026-03-09 02:30 EDT", "2026-03-10 02:30 EDT",
              "2026-03-11 02:30 EDT"});
  CHECK(next_run(half_past_two, new_york, utc(2026y / std::chrono::March / 7, 12h)) ==
        utc(2026y / std::chrono::March / 8, 7h));
  CHECK(runs_from(half_past_two, berlin, utc(2026y / std::chrono::March / 28, 12h)) ==
        Lines{"2026-03-29 03:00 CEST", "2026-03-30 02:30 CEST", "2026-03-31 02:30 CEST",
              "2026-04-01 02:30 CEST"});
  // A weekly run on the gap day too.
  CHECK(local(new_york, next_run(weekly(std::chrono::Sunday, 2h, 30min), new_york,
                                 utc(2026y / std::chrono::March / 2, 12h))) ==
        "2026-03-08 03:00 EDT");
}

TEST_CASE("a time repeated by fall-back runs once, at its first occurrence", "[schedule]") {
  const auto half_past_one = at(Cadence::daily, 1h, 30min);
  CHECK(runs_from(half_past_one, new_york, utc(2026y / std::chrono::October / 31, 12h)) ==
        Lines{"2026-11-01 01:30 EDT", "2026-11-02 01:30 EST", "2026-11-03 01:30 EST",
              "2026-11-04 01:30 EST"});
  // During the second 01:30 (EST) the latest run is still the first one, not a second.
  const auto first = utc(2026y / std::chrono::November / 1, 5h, 30min);
  CHECK(previous_run(half_past_one, new_york, first + 1h) == first);

  const auto half_past_two = at(Cadence::daily, 2h, 30min);
  CHECK(next_run(half_past_two, berlin, utc(2026y / std::chrono::October / 24, 12h)) ==
        utc(2026y / std::chrono::October / 25, 0h, 30min));  // 02:30 CEST, not 02:30 CET
}

// ---- Zones east and west of UTC -----------------------------------------------------------------

TEST_CASE("zones east and west of UTC, where the local day is not the UTC day", "[schedule]") {
  // Kolkata is UTC+5:30 all year.
  const auto kolkata = next_run(at(Cadence::daily, 9h, 30min), "Asia/Kolkata",
                                utc(2026y / std::chrono::January / 14, 12h));
  CHECK(kolkata == utc(2026y / std::chrono::January / 15, 4h));
  CHECK(local("Asia/Kolkata", kolkata) == "2026-01-15 09:30 IST");

  // Auckland is UTC+13 in January: Monday 09:00 there is Sunday 20:00 UTC.
  const auto auckland = next_run(weekly(std::chrono::Monday, 9h), "Pacific/Auckland",
                                 utc(2026y / std::chrono::January / 3, 12h));
  CHECK(auckland == utc(2026y / std::chrono::January / 4, 20h));
  CHECK(local("Pacific/Auckland", auckland) == "2026-01-05 09:00 NZDT");
  // …and UTC+12 from April, after its own fall-back (southern autumn).
  CHECK(local("Pacific/Auckland", next_run(weekly(std::chrono::Monday, 9h), "Pacific/Auckland",
                                           utc(2026y / std::chrono::April / 10, 0h))) ==
        "2026-04-13 09:00 NZST");

  // Los Angeles is UTC-8 in January: Friday 17:00 there is Saturday 01:00 UTC, and the run after
  // it is Monday's, not Saturday's.
  const auto weekdays = at(Cadence::weekdays, 17h);
  const auto friday = next_run(weekdays, "America/Los_Angeles",
                               utc(2026y / std::chrono::January / 9, 12h));
  CHECK(friday == utc(2026y / std::chrono::January / 10, 1h));
  CHECK(local("America/Los_Angeles", next_run(weekdays, "America/Los_Angeles", *friday)) ==
        "2026-01-12 17:00 PST");
  CHECK(previous_run(weekdays, "America/Los_Angeles",
                     utc(2026y / std::chrono::January / 12, 12h)) == friday);
}

// ---- What is due --------------------------------------------------------------------------------

TEST_CASE("a digest missed while the bot was down is posted if under 6 hours late",
          "[schedule]") {
  const auto daily = at(Cadence::daily, 9h);
  const auto today = 2026y / std::chrono::January / 14;
  const auto yesterdays = utc(2026y / std::chrono::January / 13, 9h);

  const auto five_hours_late = due_digest(daily, "UTC", yesterdays, utc(today, 14h));
  REQUIRE(five_hours_late);
  CHECK(five_hours_late->scheduled_for == utc(today, 9h));
  CHECK_FALSE(five_hours_late->too_late);

  const auto seven_hours_late = due_digest(daily, "UTC", yesterdays, utc(today, 16h));
  REQUIRE(seven_hours_late);
  CHECK(seven_hours_late->scheduled_for == utc(today, 9h));
  CHECK(seven_hours_late->too_late);

  // Exactly six hours late is still in time; the lateness allowed can be changed.
  CHECK_FALSE(due_digest(daily, "UTC", yesterdays, utc(today, 15h))->too_late);
  CHECK(due_digest(daily, "UTC", yesterdays, utc(today, 12h), hours{2})->too_late);
}

TEST_CASE("the same period is never due twice", "[schedule]") {
  const auto daily = at(Cadence::daily, 9h);
  const auto today = 2026y / std::chrono::January / 14;
  CHECK_FALSE(due_digest(daily, "UTC", utc(today, 9h), utc(today, 9h, 1min)));
  CHECK_FALSE(due_digest(daily, "UTC", utc(today, 9h), utc(today, 23h)));
  // A later record (a skipped run recorded ahead, or clocks disagreeing) also counts.
  CHECK_FALSE(due_digest(daily, "UTC", utc(today, 10h), utc(today, 12h)));
  // Due on the minute, and for the first time ever when nothing was recorded.
  const auto on_time = due_digest(daily, "UTC", std::nullopt, utc(today, 9h));
  REQUIRE(on_time);
  CHECK(on_time->scheduled_for == utc(today, 9h));
  CHECK_FALSE(on_time->too_late);
}

TEST_CASE("after days down, only the latest period is due", "[schedule]") {
  const auto daily = at(Cadence::daily, 9h);
  const auto due = due_digest(daily, "UTC", utc(2026y / std::chrono::January / 10, 9h),
                              utc(2026y / std::chrono::January / 14, 10h));
  REQUIRE(due);
  CHECK(due->scheduled_for == utc(2026y / std::chrono::January / 14, 9h));
  CHECK_FALSE(due->too_late);
}

TEST_CASE("nothing is due when the schedule is off or the zone unknown", "[schedule]") {
  const auto now = utc(2026y / std::chrono::January / 14, 12h);
  CHECK_FALSE(due_digest(DigestSchedule{}, "UTC", std::nullopt, now));
  CHECK_FALSE(due_digest(at(Cadence::daily, 9h), "Nowhere/Land", std::nullopt, now));
}

TEST_CASE("a missed run is judged in the channel's zone", "[schedule]") {
  // 09:00 Berlin on 2026-03-29 is 07:00 UTC (CEST): at 12:30 UTC it is 5.5 hours late.
  const auto due = due_digest(at(Cadence::daily, 9h), berlin, std::nullopt,
                              utc(2026y / std::chrono::March / 29, 12h, 30min));
  REQUIRE(due);
  CHECK(local(berlin, due->scheduled_for) == "2026-03-29 09:00 CEST");
  CHECK_FALSE(due->too_late);
}

// ---- Working days -------------------------------------------------------------------------------

// Local wall-clock time in Berlin, for working-day checks.
SysTime in_berlin(year_month_day date, hours hour, minutes minute = 0min) {
  const date::local_days day{std::chrono::local_days{date}.time_since_epoch()};
  return date::locate_zone(berlin)->to_sys(day + hour + minute);
}

TEST_CASE("working days count back over the weekend, at the same local time", "[schedule]") {
  const auto wednesday = in_berlin(2026y / std::chrono::March / 11, 10h);
  CHECK(local(berlin, working_days_before(wednesday, 1, berlin)) == "2026-03-10 10:00 CET");
  CHECK(local(berlin, working_days_before(wednesday, 2, berlin)) == "2026-03-09 10:00 CET");
  CHECK(local(berlin, working_days_before(wednesday, 3, berlin)) == "2026-03-06 10:00 CET");
  CHECK(local(berlin, working_days_before(wednesday, 8, berlin)) == "2026-02-27 10:00 CET");
  CHECK(working_days_before(wednesday, 0, berlin) == wednesday);

  const auto monday = in_berlin(2026y / std::chrono::March / 9, 10h);
  CHECK(local(berlin, working_days_before(monday, 1, berlin)) == "2026-03-06 10:00 CET");
  CHECK(local(berlin, working_days_before(monday, 5, berlin)) == "2026-03-02 10:00 CET");
}

TEST_CASE("on a weekend, working days count from the end of Friday", "[schedule]") {
  for (const auto now : {in_berlin(2026y / std::chrono::March / 14, 15h),
                         in_berlin(2026y / std::chrono::March / 15, 0h),
                         in_berlin(2026y / std::chrono::March / 15, 23h, 59min)}) {
    INFO(local(berlin, now));
    CHECK(local(berlin, working_days_before(now, 0, berlin)) == "2026-03-14 00:00 CET");
    CHECK(local(berlin, working_days_before(now, 1, berlin)) == "2026-03-13 00:00 CET");
    CHECK(local(berlin, working_days_before(now, 3, berlin)) == "2026-03-11 00:00 CET");
  }
  // So an update from Friday morning is not yet a working day quiet over the weekend, and one
  // from Thursday evening is.
  const auto saturday = in_berlin(2026y / std::chrono::March / 14, 15h);
  CHECK(working_days_between(in_berlin(2026y / std::chrono::March / 13, 9h), saturday, berlin) == 0);
  CHECK(working_days_between(in_berlin(2026y / std::chrono::March / 12, 18h), saturday, berlin) ==
        1);
}

TEST_CASE("holidays are skipped like weekends", "[schedule]") {
  // Easter 2026: Good Friday 3 April, Easter Monday 6 April.
  const Holidays easter{2026y / std::chrono::April / 3, 2026y / std::chrono::April / 6};
  const auto tuesday = in_berlin(2026y / std::chrono::April / 7, 10h);
  CHECK(local(berlin, working_days_before(tuesday, 2, berlin)) == "2026-04-03 10:00 CEST");
  CHECK(local(berlin, working_days_before(tuesday, 2, berlin, easter)) ==
        "2026-04-01 10:00 CEST");
  CHECK(working_days_between(in_berlin(2026y / std::chrono::April / 2, 10h), tuesday, berlin,
                             easter) == 1);
  CHECK(working_days_between(in_berlin(2026y / std::chrono::April / 2, 10h), tuesday, berlin) ==
        3);
  // On a holiday the clock stands at the end of the last working day, as on a weekend.
  const auto easter_monday = in_berlin(2026y / std::chrono::April / 6, 10h);
  CHECK(local(berlin, working_days_before(easter_monday, 1, berlin, easter)) ==
        "2026-04-02 00:00 CEST");
}

TEST_CASE("a working day is a local day, 23 or 25 hours long across DST", "[schedule]") {
  // Monday after spring-forward: Friday 10:00 CET is 71 hours before Monday 10:00 CEST.
  const auto monday = in_berlin(2026y / std::chrono::March / 30, 10h);
  const auto cutoff = working_days_before(monday, 1, berlin);
  CHECK(local(berlin, cutoff) == "2026-03-27 10:00 CET");
  CHECK(monday - cutoff == 71h);
  CHECK(working_days_between(cutoff, monday, berlin) == 1);
  CHECK(working_days_between(cutoff + 1min, monday, berlin) == 0);
}

TEST_CASE("whole working days between two instants", "[schedule]") {
  const auto friday = in_berlin(2026y / std::chrono::March / 6, 9h);
  const auto monday = in_berlin(2026y / std::chrono::March / 9, 9h);
  CHECK(working_days_between(friday, monday, berlin) == 1);
  CHECK(working_days_between(friday, monday - 1min, berlin) == 0);
  CHECK(working_days_between(friday, monday + std::chrono::days{2}, berlin) == 3);
  CHECK(working_days_between(friday, friday, berlin) == 0);
  CHECK(working_days_between(monday, friday, berlin) == 0);
  // A weekend alone is no working time at all.
  CHECK(working_days_between(in_berlin(2026y / std::chrono::March / 7, 0h),
                             in_berlin(2026y / std::chrono::March / 8, 23h), berlin) == 0);
}

TEST_CASE("working days count in UTC when the zone is unknown", "[schedule]") {
  const auto wednesday = utc(2026y / std::chrono::March / 11, 10h);
  CHECK(working_days_before(wednesday, 3, "Nowhere/Land") ==
        utc(2026y / std::chrono::March / 6, 10h));
  CHECK(working_days_between(utc(2026y / std::chrono::March / 6, 10h), wednesday, "") == 3);
}

TEST_CASE("working_days_between undoes working_days_before", "[schedule]") {
  const Holidays holidays{2026y / std::chrono::March / 27, 2026y / std::chrono::November / 2};
  // Every 7 hours through both of each zone's DST changes, weekends and holidays included.
  for (const auto zone : {berlin, new_york, std::string_view{"Pacific/Auckland"}}) {
    for (const auto& start : {utc(2026y / std::chrono::March / 1, 0h),
                              utc(2026y / std::chrono::October / 20, 0h)}) {
      for (auto now = start; now < start + std::chrono::days{28}; now += 7h) {
        for (int days = 0; days <= 12; ++days) {
          INFO(zone << " " << local(zone, now) << ", " << days << " days");
          CHECK(working_days_between(working_days_before(now, days, zone, holidays), now, zone,
                                     holidays) == days);
        }
      }
    }
  }
}

}  // namespace
}  // namespace microalign
