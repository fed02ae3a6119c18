// What `/microalign` answers to the commands that steer nudges (away, back, nudges on/off,
// holiday, snooze, owner, done for an unknown ticket), and the calendar reasoning behind them.
// Pure: the application reads and writes storage and sends these as private answers.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "microalign/core/channel_command.hpp"
#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/nudge_policy.hpp"
#include "microalign/core/spelling.hpp"

namespace microalign {

// The calendar date at `at` in an IANA zone (empty or unknown: UTC), as nudges count days.
std::chrono::year_month_day local_date(SysTime at, std::string_view time_zone);

// "Wed 2 Dec", with the year when it is not `today`'s: "Fri 1 Jan 2027".
std::string day_in_words(std::chrono::year_month_day day, std::chrono::year_month_day today);

// ---- away, back, nudges on/off

// The last day a person is away (inclusive, their own calendar): the date given, or for
// `away Nd` today and the N − 1 days after it. A date before today is refused: the string is
// the polite answer saying so.
std::variant<std::chrono::year_month_day, std::string> last_day_away(const channel_command::Away&,
                                                                     std::chrono::year_month_day today,
                                                                     const CommandSpelling&);

// "Nudges paused until you're back: you're away through Wed 2 Dec, and nudges start again on
// Thu 3 Dec." The day back is the first weekday after the last day away.
std::string away_answer(std::chrono::year_month_day last_day, std::chrono::year_month_day today,
                        const CommandSpelling&);

// `before` is the person's profile before the command: whether they were away, whether their
// nudges are off (which `back` does not change, and the answer says so).
std::string back_answer(const OwnerProfile& before, std::chrono::year_month_day today, const CommandSpelling&);
std::string nudges_answer(bool on, const OwnerProfile& before, std::chrono::year_month_day today,
                          const CommandSpelling&);

// ---- holiday, snooze, owner, done

// "Thu 24 Dec to Sat 26 Dec (3 days) are now holidays in this channel: …"
std::string holiday_answer(std::chrono::year_month_day from, std::chrono::year_month_day to,
                           std::chrono::year_month_day today);

// A snooze of `days` lasts that many whole days from now (now + days × 24 h): snoozed at
// 15:20 on Monday for 3 days, nudges about the ticket may come again from 15:20 on Thursday.
SysTime snooze_end(SysTime now, int days);
// Says when the snooze ends on the person's own clock ("until Thu 3 Dec, 15:20 your time").
std::string snooze_answer(const std::string& key, int days, SysTime until, std::string_view time_zone,
                          SysTime now);

// The new owner named, never pinged.
Message owner_answer(const std::string& key, const std::string& user_id, const std::string& name);

// For a ticket no update in the workspace has named yet.
std::string unknown_ticket_answer(const std::string& key);

}  // namespace microalign
