// The `/microalign …` command: reading what was asked, and saying the right form when it is
// not understood. Pure.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "microalign/core/message.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/core/spelling.hpp"

namespace microalign {

namespace channel_command {

struct SetDigest {  // digest daily 09:30 | weekdays 17:00 | weekly mon 09:00 [thread]
  DigestSchedule schedule;
};
struct DigestOff {};  // digest off
struct DigestNow {};  // digest now
struct SetTimeZone {  // tz Europe/Berlin
  std::string zone;
};
struct SetQuietThreshold {  // quiet 2d (working days, 1–30)
  int working_days = 3;
};
struct ShowSettings {};  // settings
struct ShowTicket {      // ticket ENG-42
  std::string key;
};
struct ListTickets {};  // tickets
// decisions | decisions 7d (calendar days, 1–365; also "2 weeks") | decisions since 2026-11-01.
// Neither given: the last `default_decision_days` days.
struct ListDecisions {
  std::variant<std::chrono::year_month_day, int> since_or_days = default_decision_days;
  static constexpr int default_decision_days = 30;
};
struct MarkDone {      // done ENG-42
  std::string key;
};
struct Snooze {  // snooze ENG-42 3d (calendar days, 1–30; also "2 days", "1w")
  std::string key;
  int days = 1;
};
struct SetOwner {  // owner ENG-42 @bob, with @bob picked as a person (a user span)
  std::string key;
  std::string user_id;  // the platform's id for them: "U123"
};

// away until 2026-12-02 | away 3d (calendar days, 1–60; also "3 days", "1w"). Either the date
// as typed, or a number of days counted from the caller's today. Whether the date is today or
// later is the caller's check: only it knows the person's today.
struct Away {
  std::variant<std::chrono::year_month_day, int> until_or_days;
};
struct Back {};  // back

// holiday 2026-12-24 2026-12-26: every day from `from` to `to`, both included; one date gives
// one day (`to` == `from`). Always from ≤ to, at most 31 days; valid calendar dates.
struct Holiday {
  std::chrono::year_month_day from;
  std::chrono::year_month_day to;
};
struct SetNudges {  // nudges on | nudges off
  bool on = true;
};
struct Help {};  // help, or nothing

// Not understood: `message` says what was wrong and shows the right form, for an ephemeral reply.
struct Invalid {
  std::string message;
};

using Parsed =
    std::variant<SetDigest, DigestOff, DigestNow, SetTimeZone, SetQuietThreshold, ShowSettings, ShowTicket, ListTickets,
                 MarkDone, Snooze, SetOwner, Away, Back, Holiday, SetNudges, Help, Invalid, ListDecisions>;

// The text as the platform's adapter decoded it: people picked from its @-autocomplete are user
// spans; everything else is read as words. Answers show the right form as `spelling` types it.
Parsed parse(const RichText& text, const CommandSpelling& spelling);
// Plain text, where nobody is named as a person.
Parsed parse(std::string_view text, const CommandSpelling& spelling);

// True when `word` (in any case) is one of the commands: "digest", "away", "help"…
bool is_keyword(std::string_view word);

// The help text listing every form, for `/microalign help`.
std::string help_text(const CommandSpelling& spelling);

}  // namespace channel_command

}  // namespace microalign
