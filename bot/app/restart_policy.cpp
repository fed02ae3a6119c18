#include "microalign/app/restart_policy.hpp"

#include <algorithm>

namespace microalign::app {

std::chrono::milliseconds restart_delay(const RestartPolicy& policy, int failures_in_a_row) {
  // Doubling stops once at the cap, so it can never overflow.
  auto delay = policy.first;
  for (int i = 1; i < failures_in_a_row && delay < policy.cap; ++i) delay *= 2;
  return std::min(delay, policy.cap);
}

}  // namespace microalign::app
