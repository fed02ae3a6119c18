// Per-channel settings (digest schedule, time zone, quiet threshold) and the record of every
// digest run, so that a period is never posted twice. Free functions over a Store; like the
// Store's own writes, the writes here run inside a transaction (a CommitQueue item); outside one
// they throw std::logic_error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "microalign/core/digest.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::storage {

struct ChannelSettings {
  std::string team;
  std::string channel;
  DigestSchedule schedule;    // cadence off until someone sets one
  std::string time_zone;      // IANA name; empty until set (then the configurer's zone)
  int quiet_days = 3;         // working days without an update before a ticket counts as quiet
  std::string configured_by;  // user who first configured the channel: told about posting problems
  SysTime updated_at{};       // when these settings were saved (the caller's clock)
};

std::optional<ChannelSettings> channel_settings(Store&, const std::string& team,
                                                const std::string& channel);
// Creates or replaces the channel's settings, except `configured_by`: the first non-empty one
// saved is kept, so that whoever set the channel up hears about its problems even after someone
// else changed a setting (callers pass the current user, or "" when there is none).
void save_channel_settings(Store&, const ChannelSettings&);
// Every channel with a digest cadence other than off.
std::vector<ChannelSettings> scheduled_channels(Store&);

struct DigestRun {
  std::string team;
  std::string channel;
  SysTime scheduled_for{};  // the schedule slot this run stands for (or when "now" was asked)
  SysTime window_start{};
  SysTime window_end{};
  DigestCounts counts;
  bool posted = false;  // false: skipped (too late, or nothing to say)
  SysTime recorded_at{};  // when the run was recorded (the caller's clock)
};

// The latest run recorded for the channel (posted or skipped), by scheduled_for.
std::optional<DigestRun> last_digest_run(Store&, const std::string& team, const std::string& channel);
// The latest *posted* run: its window end starts the next digest's window, its counts give deltas.
std::optional<DigestRun> last_posted_digest(Store&, const std::string& team, const std::string& channel);
// Records a run; false (and nothing written) when the channel already has one for that slot.
bool record_digest_run(Store&, const DigestRun&);

}  // namespace microalign::storage
