// A tiny leveled logger writing one line per event to stderr. Callers never pass secrets:
// tokens live only in Config and are redacted by its printer.
#pragma once

#include <optional>
#include <string_view>

namespace microalign::log {

enum class Level { debug, info, warn, error };

std::optional<Level> level_from_string(std::string_view);
void set_level(Level);
Level level();
bool enabled(Level);

void write(Level, std::string_view component, std::string_view message);

inline void debug(std::string_view c, std::string_view m) { write(Level::debug, c, m); }
inline void info(std::string_view c, std::string_view m) { write(Level::info, c, m); }
inline void warn(std::string_view c, std::string_view m) { write(Level::warn, c, m); }
inline void error(std::string_view c, std::string_view m) { write(Level::error, c, m); }

}  // namespace microalign::log
