// When a background task that stopped on an error starts again. Pure, so the schedule is
// testable without waiting for it.
#pragma once

#include <chrono>

namespace microalign::app {

// The first restart comes after `first`, each further failure in a row doubles the wait up to
// `cap`: a task that fails at once again (its storage gone, a bug on its path) neither spins nor
// floods the log, and one hit by a passing fault is back within a second. A task that ran for
// `healthy_after` before failing failed anew, not again: its count starts over.
struct RestartPolicy {
  std::chrono::milliseconds first{std::chrono::seconds(1)};
  std::chrono::milliseconds cap{std::chrono::seconds(60)};
  std::chrono::milliseconds healthy_after{std::chrono::minutes(5)};
};

// The wait before the next start, after `failures_in_a_row` failures (1: the first).
std::chrono::milliseconds restart_delay(const RestartPolicy&, int failures_in_a_row);

}  // namespace microalign::app
