// The time as the application sees it: injected everywhere, so tests choose the calendar.
#pragma once

#include <functional>

#include "microalign/core/model.hpp"

namespace microalign::app {

using Clock = std::function<SysTime()>;

// The system clock, to the millisecond.
Clock system_clock();

// A clock that reads `start` now and runs at the real pace from there: pacing and timeouts
// still work, while the calendar (working days, hours) is the caller's choice.
Clock clock_starting_at(SysTime start);

}  // namespace microalign::app
