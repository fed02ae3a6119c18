#include "microalign/core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include <date/date.h>
#include <nlohmann/json.hpp>

namespace microalign::log {
namespace {

std::atomic<Level> current_level{Level::info};
std::atomic<Format> current_format{Format::text};

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

// A JSON string, escaped: quotes, backslashes and control characters (newlines included) become
// escapes, so the event stays on one line; bytes that are not UTF-8 become U+FFFD.
std::string json_string(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::optional<Level> level_from_string(std::string_view s) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (s == name_of(l)) return l;
  }
  return std::nullopt;
}

std::optional<Format> format_from_string(std::string_view s) {
  if (s == "text") return Format::text;
  if (s == "json") return Format::json;
  return std::nullopt;
}

void set_level(Level l) { current_level = l; }
Level level() { return current_level; }
bool enabled(Level l) { return l >= current_level.load(); }
void set_format(Format f) { current_format = f; }

std::string format_line(Format format, std::chrono::system_clock::time_point time, Level l, std::string_view component,
                        std::string_view message) {
  const std::string when = date::format("%FT%TZ", std::chrono::floor<std::chrono::milliseconds>(time));
  std::string line;
  if (format == Format::json) {
    line = "{\"time\":" + json_string(when) + ",\"level\":" + json_string(name_of(l)) +
           ",\"component\":" + json_string(component) + ",\"message\":" + json_string(message) + "}";
  } else {
    line = when;
    line += ' ';
    line += name_of(l);
    line += ' ';
    line += component;
    line += ": ";
    line += one_line(message);
  }
  line += '\n';
  return line;
}

void write(Level l, std::string_view component, std::string_view message) {
  if (!enabled(l)) return;
  const std::string line = format_line(current_format, std::chrono::system_clock::now(), l, component, message);
  static std::mutex mutex;  // the storage worker thread logs too
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace microalign::log
