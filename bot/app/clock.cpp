#include "microalign/app/clock.hpp"

#include <chrono>

namespace microalign::app {

Clock system_clock() {
  return [] { return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()); };
}

Clock clock_starting_at(SysTime start) {
  const auto offset = start - system_clock()();
  return [offset] { return system_clock()() + offset; };
}

}  // namespace microalign::app
