// Small helpers every benchmark program uses: arguments, timings in milliseconds, names.
#pragma once

#include <chrono>
#include <cstdlib>
#include <string>

namespace microalign::bench {

using Clock = std::chrono::steady_clock;

// The index-th command-line argument as a number, or `fallback` when absent.
inline int arg(int argc, char** argv, int index, int fallback) {
  return argc > index ? std::atoi(argv[index]) : fallback;
}

inline double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Appending rather than "literal" + std::to_string(): GCC 12 at -O2 warns falsely on the latter.
inline std::string numbered(std::string prefix, long long n) { return prefix.append(std::to_string(n)); }

}  // namespace microalign::bench
