// What a fuzz target asserts beyond "no crash": an invariant broken is a finding, reported with
// the rule it broke so the reproducer reads as a bug report.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace microalign::fuzz {

inline void require(bool holds, const char* rule) {
  if (holds) return;
  std::fprintf(stderr, "invariant broken: %s\n", rule);
  std::abort();
}

}  // namespace microalign::fuzz
