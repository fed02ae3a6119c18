// The sandbox's calendar: it starts where it is told (or on a working morning), runs at the real
// pace from there, and the page moves it forward by an hour, a day or a week so that people see
// tickets go quiet, nudges arrive in working hours and digests fire. Never backwards: the outbox
// and the schedulers count on time that only grows.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "microalign/app/clock.hpp"
#include "microalign/core/model.hpp"

namespace microalign::sandbox {

class SandboxClock {
 public:
  explicit SandboxClock(SysTime start);

  // For the application: every copy reads the same calendar, moves included. Safe on any thread.
  app::Clock clock() const;
  SysTime now() const;
  void advance(std::chrono::milliseconds);

 private:
  std::shared_ptr<std::atomic<std::int64_t>> offset_ms_;  // the sandbox's time less the system's
};

// A step the page may move the clock by: a count and a unit, "30m", "1h", "1d", "1w" (1 to 99,
// and at most four weeks in all); nullopt for anything else.
std::optional<std::chrono::milliseconds> clock_step(std::string_view);

// Where the sandbox starts when not told: 10:00 in Lisbon (its first person's morning) on the
// day of `real_now` there, or on the next Monday when that day is a Saturday or a Sunday. A
// working morning, so a first `/status` and "+1 week" show a nudge at once.
SysTime default_start(SysTime real_now);

}  // namespace microalign::sandbox
