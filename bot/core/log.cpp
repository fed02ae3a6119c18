#include "microalign/core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include <date/date.h>

namespace microalign::log {
namespace {

std::atomic<Level> current_level{Level::info};

std::string_view name_of(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "?";
}

// Log lines are single lines: a newline in a message (a Slack error body, say) would let one
// event masquerade as two.
std::string one_line(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

}  // namespace

std::optional<Level> level_from_string(std::string_view s) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (s == name_of(l)) return l;
  }
  return std::nullopt;
}

void set_level(Level l) { current_level = l; }
Level level() { return current_level; }
bool enabled(Level l) { return l >= current_level.load(); }

void write(Level l, std::string_view component, std::string_view message) {
  if (!enabled(l)) return;
  auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::string line = date::format("%FT%TZ ", now);
  line += name_of(l);
  line += ' ';
  line += component;
  line += ": ";
  line += one_line(message);
  line += '\n';
  static std::mutex mutex;  // the storage worker thread logs too
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace microalign::log
