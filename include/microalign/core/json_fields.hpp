// Reading fields out of JSON someone else wrote (Slack, Teams, Microsoft's login, the trackers), where any
// field may hold any type:
// - nlohmann's get<int>() on 1e10, 1e300 or 3e9 converts a double (or a too-large integer) with
//   a plain cast, and a double outside the target's range is undefined behaviour;
// - value("ts", std::string{}) throws when "ts" is a number, and value() of anything throws on
//   an array, so one odd reply could stop the task that read it.
// These reads refuse what is not of the type (and range) asked for, and never throw.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

namespace microalign {

// The integer `value` holds when it is a JSON integer (not a fraction, not a string, not a number
// written with an exponent, which JSON parsers read as a double) within [min, max]; otherwise
// nullopt.
template <std::integral Integer>
std::optional<Integer> json_integer(const nlohmann::json& value, Integer min = std::numeric_limits<Integer>::min(),
                                    Integer max = std::numeric_limits<Integer>::max()) {
  // Each branch reads the number as the type nlohmann stored it in, so no conversion can be
  // out of range; cmp_* compare signed and unsigned by value.
  if (value.is_number_unsigned()) {
    const auto n = value.get<std::uint64_t>();
    if (std::cmp_less(n, min) || std::cmp_greater(n, max)) return std::nullopt;
    return static_cast<Integer>(n);
  }
  if (value.is_number_integer()) {
    const auto n = value.get<std::int64_t>();
    if (std::cmp_less(n, min) || std::cmp_greater(n, max)) return std::nullopt;
    return static_cast<Integer>(n);
  }
  return std::nullopt;
}

// The member `name` of `object` read as json_integer; nullopt when `object` is not an object,
// has no such member, or the member is not an integer within [min, max].
template <std::integral Integer>
std::optional<Integer> json_integer_member(const nlohmann::json& object, const char* name,
                                           Integer min = std::numeric_limits<Integer>::min(),
                                           Integer max = std::numeric_limits<Integer>::max()) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  return json_integer<Integer>(*it, min, max);
}

// The member `name` of `object` when it is a string; `fallback` when `object` is not an object,
// has no such member, or the member is not a string.
inline std::string json_string_member(const nlohmann::json& object, const char* name, std::string fallback = {}) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// The member `name` of `object` when it is an object; a null value (which every read above takes
// as absent) when `object` is not an object, has no such member, or the member is not an object.
inline const nlohmann::json& json_object_member(const nlohmann::json& object, const char* name) {
  static const nlohmann::json none;
  if (!object.is_object()) return none;
  const auto it = object.find(name);
  return it != object.end() && it->is_object() ? *it : none;
}

}  // namespace microalign
