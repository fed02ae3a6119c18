// Small helpers every benchmark program uses: arguments, timings in milliseconds, names.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace microalign::bench {

using Clock = std::chrono::steady_clock;

// The index-th command-line argument as a number, or `fallback` when absent.
inline int arg(int argc, char** argv, int index, int fallback) {
  return argc > index ? std::atoi(argv[index]) : fallback;
}

inline double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The median time of `runs` runs of `work`, in milliseconds: steadier than the mean on a busy box.
inline double median_ms(int runs, const std::function<void()>& work) {
  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    work();
    times.push_back(ms(Clock::now() - start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Appending rather than "literal" + std::to_string(): GCC 12 at -O2 warns falsely on the latter.
inline std::string numbered(std::string prefix, long long n) { return prefix.append(std::to_string(n)); }

}  // namespace microalign::bench
