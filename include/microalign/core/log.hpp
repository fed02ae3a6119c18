// A tiny leveled logger writing one line per event to stderr: text for people, or JSON lines
// with stable keys for log shippers (MICROALIGN_LOG_FORMAT). Callers never pass secrets: tokens
// live only in Config and are redacted by its printer.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace microalign::log {

enum class Level { debug, info, warn, error };

// text: `2026-11-25T09:30:00.123Z info storage: message`
// json: `{"time":"2026-11-25T09:30:00.123Z","level":"info","component":"storage","message":"…"}`,
//       always these four keys in this order; the message JSON-escaped (invalid UTF-8 replaced).
enum class Format { text, json };

std::optional<Level> level_from_string(std::string_view);
std::optional<Format> format_from_string(std::string_view);  // "text" or "json"
void set_level(Level);
Level level();
bool enabled(Level);
void set_format(Format);

void write(Level, std::string_view component, std::string_view message);

// The line write() prints for an event at `time`, with its newline: one line whatever the
// message holds.
std::string format_line(Format, std::chrono::system_clock::time_point time, Level, std::string_view component,
                        std::string_view message);

inline void debug(std::string_view c, std::string_view m) { write(Level::debug, c, m); }
inline void info(std::string_view c, std::string_view m) { write(Level::info, c, m); }
inline void warn(std::string_view c, std::string_view m) { write(Level::warn, c, m); }
inline void error(std::string_view c, std::string_view m) { write(Level::error, c, m); }

}  // namespace microalign::log
