#include "microalign/sandbox/sandbox_clock.hpp"

#include <charconv>
#include <date/tz.h>

#include "microalign/core/schedule.hpp"

namespace microalign::sandbox {

namespace {
constexpr auto longest_step = std::chrono::weeks(4);
}

SandboxClock::SandboxClock(SysTime start)
    : offset_ms_(std::make_shared<std::atomic<std::int64_t>>((start - app::system_clock()()).count())) {}

app::Clock SandboxClock::clock() const {
  return [offset = offset_ms_] { return app::system_clock()() + std::chrono::milliseconds(offset->load()); };
}

SysTime SandboxClock::now() const { return clock()(); }

void SandboxClock::advance(std::chrono::milliseconds by) {
  if (by.count() > 0) *offset_ms_ += by.count();
}

std::optional<std::chrono::milliseconds> clock_step(std::string_view text) {
  if (text.size() < 2 || text.size() > 3) return std::nullopt;
  int count = 0;
  const auto digits = text.substr(0, text.size() - 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (error != std::errc{} || end != digits.data() + digits.size() || count < 1) return std::nullopt;
  std::chrono::milliseconds step{};
  switch (text.back()) {
    case 'm':
      step = std::chrono::minutes(count);
      break;
    case 'h':
      step = std::chrono::hours(count);
      break;
    case 'd':
      step = std::chrono::days(count);
      break;
    case 'w':
      step = std::chrono::weeks(count);
      break;
    default:
      return std::nullopt;
  }
  if (step > longest_step) return std::nullopt;
  return step;
}

SysTime default_start(SysTime real_now) {
  const auto& zone = zone_or_utc("Europe/Lisbon");
  auto day = date::floor<date::days>(zone.to_local(real_now));
  const date::weekday weekday{day};
  if (weekday == date::Saturday) day += date::days{2};
  if (weekday == date::Sunday) day += date::days{1};
  const auto morning = day + std::chrono::hours(10);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(zone.to_sys(morning, date::choose::earliest));
}

}  // namespace microalign::sandbox
