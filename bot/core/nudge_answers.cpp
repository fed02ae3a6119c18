// Dates are people's own calendar dates (date/tz.h: GCC 12 has no std::chrono::time_zone), the
// same reading the nudge policy makes of `away_until`: the last day away, inclusive.
#include "microalign/core/nudge_answers.hpp"

#include <array>
#include <cstdio>

#include <date/tz.h>

#include "microalign/core/schedule.hpp"

namespace microalign {
namespace {

using Date = std::chrono::year_month_day;
using std::chrono::days;
using std::chrono::sys_days;

// "2026-12-02", as the commands take dates.
std::string iso(Date day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

Date next_weekday(Date day) {
  auto next = sys_days{day} + days{1};
  while (std::chrono::weekday{next} == std::chrono::Saturday || std::chrono::weekday{next} == std::chrono::Sunday) {
    next += days{1};
  }
  return Date{next};
}

bool away_on(const OwnerProfile& profile, Date today) {
  return profile.away_until && sys_days{*profile.away_until} >= sys_days{today};
}

// " You're marked away through Wed 2 Dec, so they start again on Thu 3 Dec."
std::string still_away(const OwnerProfile& profile, Date today, const CommandSpelling& spelling) {
  return " You're marked away through " + day_in_words(*profile.away_until, today) + ", so they start again on " +
         day_in_words(next_weekday(*profile.away_until), today) + " (" + spelling.code("back") + " starts them now).";
}

}  // namespace

Date local_date(SysTime at, std::string_view time_zone) {
  const auto local = date::floor<days>(zone_or_utc(time_zone).to_local(at));
  return Date{sys_days{local.time_since_epoch()}};
}

std::string day_in_words(Date day, Date today) {
  static constexpr std::array weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string words = std::string(weekdays[std::chrono::weekday{sys_days{day}}.c_encoding()]) + " " +
                      std::to_string(static_cast<unsigned>(day.day())) + " " +
                      months[static_cast<unsigned>(day.month()) - 1];
  if (day.year() != today.year()) words += " " + std::to_string(static_cast<int>(day.year()));
  return words;
}

std::variant<Date, std::string> last_day_away(const channel_command::Away& away, Date today,
                                              const CommandSpelling& spelling) {
  if (const auto* count = std::get_if<int>(&away.until_or_days)) {
    return Date{sys_days{today} + days{*count - 1}};  // `away 1d` is today only
  }
  const auto last = std::get<Date>(away.until_or_days);
  if (sys_days{last} >= sys_days{today}) return last;
  return day_in_words(last, today) + " has already passed where you are (today is " + day_in_words(today, today) +
         "). Give your last day away, e.g. " + spelling.code("away until " + iso(Date{sys_days{today} + days{7}})) +
         ", or a number of days: " + spelling.code("away 3d") + ".";
}

std::string away_answer(Date last_day, Date today, const CommandSpelling& spelling) {
  const std::string through = last_day == today ? "today (" + day_in_words(today, today) + ")"
                                                : "through " + day_in_words(last_day, today);
  return "Nudges paused until you're back: you're away " + through + ", and nudges start again on " +
         day_in_words(next_weekday(last_day), today) +
         ". Meanwhile your tickets show as “owner away” rather than quiet. " + spelling.code("back") +
         " ends it early.";
}

std::string back_answer(const OwnerProfile& before, Date today, const CommandSpelling& spelling) {
  std::string answer = away_on(before, today)
                           ? "Welcome back! You're no longer marked away."
                           : "You weren't marked away, so nothing changed.";
  answer += before.nudges_off ? " Your nudges are still off: " + spelling.code("nudges on") + " turns them back on."
                              : " Nudges about your quiet tickets are on.";
  return answer;
}

std::string nudges_answer(bool on, const OwnerProfile& before, Date today, const CommandSpelling& spelling) {
  if (!on) {
    return "Nudges to you are off: I won't DM you about your quiet tickets. They still show in the "
           "channel digests. " +
           spelling.code("nudges on") + " turns nudges back on.";
  }
  std::string answer =
      "Nudges to you are on: when one of your tickets goes quiet, I'll DM you about it in your "
      "working hours, at most once a day.";
  if (away_on(before, today)) answer += still_away(before, today, spelling);
  return answer;
}

std::string holiday_answer(Date from, Date to, Date today) {
  if (from == to) {
    return day_in_words(from, today) + " is now a holiday in this channel: it doesn't count as a "
           "working day when I decide whether a ticket has gone quiet.";
  }
  const auto count = (sys_days{to} - sys_days{from}).count() + 1;
  return day_in_words(from, today) + " to " + day_in_words(to, today) + " (" + std::to_string(count) +
         " days) are now holidays in this channel: they don't count as working days when I decide "
         "whether a ticket has gone quiet.";
}

SysTime snooze_end(SysTime now, int count) { return now + days{count}; }

std::string snooze_answer(const std::string& key, int count, SysTime until, std::string_view time_zone,
                          SysTime now) {
  const auto& zone = zone_or_utc(time_zone);
  const auto clock = date::format("%H:%M", date::floor<std::chrono::minutes>(zone.to_local(until)));
  const bool utc = !is_known_time_zone(time_zone) || zone.name() == "UTC";
  const std::string whose = utc ? " UTC" : " your time (" + zone.name() + ")";
  return "Snoozed " + key + ": no nudges about it for " + std::to_string(count) +
         (count == 1 ? " day" : " days") + ", until " + day_in_words(local_date(until, time_zone),
                                                                  local_date(now, time_zone)) +
         ", " + clock + whose + ".";
}

Message owner_answer(const std::string& key, const std::string& user_id, const std::string& name) {
  const auto who = user_ref(user_id, name, /*mention=*/false);
  const std::string rest = " now owns " + key + ": nudges about it go to them when it goes quiet.";
  Message m;
  m.fallback = "Done: " + who.text + rest;
  m.blocks.push_back(Section{{plain("Done: "), who, plain(rest)}});
  return m;
}

std::string unknown_ticket_answer(const std::string& key) {
  return "I don't know " + key + " in this workspace yet — it appears once someone posts an update "
         "naming it.";
}

}  // namespace microalign
