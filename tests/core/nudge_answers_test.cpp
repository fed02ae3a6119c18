// The answers to away, back, nudges on/off, holiday, snooze and owner, and the calendar behind
// them. Dates are in December 2026: Tue 1, Wed 2, Thu 3, Fri 4, Sat 5, Mon 7.
#include <catch2/catch.hpp>

#include <date/tz.h>

#include "microalign/core/nudge_answers.hpp"

namespace microalign {
namespace {

const CommandSpelling slack = slash_commands();  // the forms the answers show are Slack's

using namespace std::chrono_literals;
using std::chrono::year_month_day;

year_month_day december(unsigned day) {
  return std::chrono::year{2026} / std::chrono::December / std::chrono::day{day};
}

SysTime utc(year_month_day day, std::chrono::minutes time) {
  return SysTime{std::chrono::sys_days{day}} + time;
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

channel_command::Away away_until(year_month_day day) { return channel_command::Away{day}; }
channel_command::Away away_for(int days) { return channel_command::Away{days}; }

}  // namespace

TEST_CASE("a person's today is their own calendar date", "[nudge_answers]") {
  const auto late_monday_utc = utc(december(1), 23h + 30min);
  CHECK(local_date(late_monday_utc, "UTC") == december(1));
  CHECK(local_date(late_monday_utc, "Europe/Berlin") == december(2));
  CHECK(local_date(late_monday_utc, "America/Los_Angeles") == december(1));
  CHECK(local_date(late_monday_utc, "") == december(1));             // unknown: UTC
  CHECK(local_date(late_monday_utc, "Mars/Olympus") == december(1));
}

TEST_CASE("days in words name the weekday, and the year only when it is not this one", "[nudge_answers]") {
  CHECK(day_in_words(december(2), december(1)) == "Wed 2 Dec");
  CHECK(day_in_words(std::chrono::year{2027} / std::chrono::January / 1, december(1)) == "Fri 1 Jan 2027");
}

TEST_CASE("away: the date given, or N days from today, is the last day away", "[nudge_answers]") {
  const auto today = december(1);
  CHECK(std::get<year_month_day>(last_day_away(away_for(1), today, slack)) == december(1));  // today only
  CHECK(std::get<year_month_day>(last_day_away(away_for(3), today, slack)) == december(3));
  CHECK(std::get<year_month_day>(last_day_away(away_until(december(2)), today, slack)) == december(2));
  CHECK(std::get<year_month_day>(last_day_away(away_until(today), today, slack)) == today);

  const auto refusal =
      std::get<std::string>(last_day_away(away_until(std::chrono::year{2026} / 11 / 30), today, slack));
  CHECK(refusal ==
        "Mon 30 Nov has already passed where you are (today is Tue 1 Dec). Give your last day away, "
        "e.g. `/microalign away until 2026-12-08`, or a number of days: `/microalign away 3d`.");
}

TEST_CASE("the away answer says the last day away and the working day nudges start again", "[nudge_answers]") {
  CHECK(away_answer(december(2), december(1), slack) ==
        "Nudges paused until you're back: you're away through Wed 2 Dec, and nudges start again on "
        "Thu 3 Dec. Meanwhile your tickets show as “owner away” rather than quiet. `/microalign back` "
        "ends it early.");
  // Away through a Friday: back on Monday.
  CHECK(has(away_answer(december(4), december(1), slack), "through Fri 4 Dec, and nudges start again on Mon 7 Dec"));
  CHECK(has(away_answer(december(1), december(1), slack),
            "you're away today (Tue 1 Dec), and nudges start again on Wed 2 Dec"));
}

TEST_CASE("back and nudges on/off say what changed and what still holds", "[nudge_answers]") {
  const auto today = december(1);
  OwnerProfile away;
  away.away_until = december(4);
  OwnerProfile was_away_before;  // a past absence is not being away
  was_away_before.away_until = std::chrono::year{2026} / 11 / 30;
  OwnerProfile off;
  off.nudges_off = true;

  CHECK(back_answer(away, today, slack) ==
        "Welcome back! You're no longer marked away. Nudges about your quiet tickets are on.");
  CHECK(has(back_answer(was_away_before, today, slack), "You weren't marked away, so nothing changed."));
  CHECK(has(back_answer(off, today, slack), "Your nudges are still off: `/microalign nudges on` turns them back on."));

  CHECK(has(nudges_answer(false, OwnerProfile{}, today, slack), "Nudges to you are off"));
  CHECK(has(nudges_answer(false, OwnerProfile{}, today, slack), "`/microalign nudges on`"));
  CHECK(nudges_answer(true, off, today, slack) ==
        "Nudges to you are on: when one of your tickets goes quiet, I'll DM you about it in your working "
        "hours, at most once a day.");
  CHECK(has(
      nudges_answer(true, away, today, slack),
      "You're marked away through Fri 4 Dec, so they start again on Mon 7 Dec (`/microalign back` starts them now)."));
}

TEST_CASE("holidays are answered with their dates in words", "[nudge_answers]") {
  CHECK(holiday_answer(december(24), december(26), december(1)) ==
        "Thu 24 Dec to Sat 26 Dec (3 days) are now holidays in this channel: they don't count as working "
        "days when I decide whether a ticket has gone quiet.");
  CHECK(has(holiday_answer(december(31), december(31), december(1)), "Thu 31 Dec is now a holiday in this channel"));
  CHECK(has(holiday_answer(december(31), std::chrono::year{2027} / 1 / 1, december(1)),
            "Thu 31 Dec to Fri 1 Jan 2027 (2 days)"));
}

TEST_CASE("a snooze lasts whole days from now, said on the person's clock", "[nudge_answers]") {
  const auto now = utc(december(1), 14h + 20min);  // 15:20 in Berlin
  const auto until = snooze_end(now, 3);
  CHECK(until == utc(december(4), 14h + 20min));
  CHECK(snooze_answer("ENG-42", 3, until, "Europe/Berlin", now) ==
        "Snoozed ENG-42: no nudges about it for 3 days, until Fri 4 Dec, 15:20 your time (Europe/Berlin).");
  CHECK(snooze_answer("ENG-42", 1, snooze_end(now, 1), "", now) ==
        "Snoozed ENG-42: no nudges about it for 1 day, until Wed 2 Dec, 14:20 UTC.");
}

TEST_CASE("the owner answer names the new owner without pinging them", "[nudge_answers]") {
  const auto m = owner_answer("ENG-42", "U222", "bob");
  CHECK(m.fallback == "Done: @bob now owns ENG-42: nudges about it go to them when it goes quiet.");
  REQUIRE(m.blocks.size() == 1);
  const auto& text = std::get<Section>(m.blocks[0]).text;
  REQUIRE(text.size() == 3);
  CHECK(text[1].user == "U222");
  CHECK_FALSE(text[1].mention);
  CHECK(owner_answer("ENG-42", "U222", "").fallback.starts_with("Done: @U222 now owns"));
}

TEST_CASE("an unknown ticket is answered politely", "[nudge_answers]") {
  CHECK(unknown_ticket_answer("ENG-42") ==
        "I don't know ENG-42 in this workspace yet — it appears once someone posts an update naming it.");
}

}  // namespace microalign
