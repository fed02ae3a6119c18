// The `/microalign …` command: reading what was asked, and saying the right form when it is
// not understood. Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "microalign/core/schedule.hpp"

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
struct Help {};  // help, or nothing

// Not understood: `message` says what was wrong and shows the right form, for an ephemeral reply.
struct Invalid {
  std::string message;
};

using Parsed = std::variant<SetDigest, DigestOff, DigestNow, SetTimeZone, SetQuietThreshold,
                            ShowSettings, ShowTicket, Help, Invalid>;

Parsed parse(std::string_view text);

// The help text listing every form, for `/microalign help`.
std::string help_text();

}  // namespace channel_command

}  // namespace microalign
