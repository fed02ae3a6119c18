// Per-channel settings (digest schedule, time zone, quiet threshold) and the record of every
// digest run, so that a period is never posted twice.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "microalign/core/digest.hpp"
#include "microalign/core/schedule.hpp"

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

// Channels' settings and their digest runs.
class Channels {
 public:
  virtual std::optional<ChannelSettings> channel_settings(const std::string& team, const std::string& channel) = 0;

  // Creates or replaces the channel's settings, except `configured_by`: the first non-empty one
  // saved is kept, so that whoever set the channel up hears about its problems even after someone
  // else changed a setting (callers pass the current user, or "" when there is none).
  virtual void save_channel_settings(const ChannelSettings&) = 0;

  // Every channel with a digest cadence other than off.
  virtual std::vector<ChannelSettings> scheduled_channels() = 0;

  // The latest run recorded for the channel (posted or skipped), by scheduled_for.
  virtual std::optional<DigestRun> last_digest_run(const std::string& team, const std::string& channel) = 0;

  // The latest *posted* run: its window end starts the next digest's window, its counts give deltas.
  virtual std::optional<DigestRun> last_posted_digest(const std::string& team, const std::string& channel) = 0;

  // Records a run; false (and nothing written) when the channel already has one for that slot.
  virtual bool record_digest_run(const DigestRun&) = 0;

 protected:
  ~Channels() = default;
};

}  // namespace microalign::storage
