#include "microalign/core/nudge_message.hpp"

#include <charconv>

namespace microalign {

std::string encode_nudge_button(const NudgeButtonValue& v) {
  return v.channel + ' ' + v.key + ' ' + std::to_string(v.update_id);
}

std::optional<NudgeButtonValue> decode_nudge_button(std::string_view text) {
  const auto first = text.find(' ');
  const auto last = text.rfind(' ');
  if (first == std::string_view::npos || first == 0 || last <= first + 1 || last + 1 >= text.size()) {
    return std::nullopt;
  }
  NudgeButtonValue v;
  v.channel = std::string(text.substr(0, first));
  v.key = std::string(text.substr(first + 1, last - first - 1));
  if (v.key.find(' ') != std::string::npos) return std::nullopt;
  const auto id = text.substr(last + 1);
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), v.update_id);
  if (error != std::errc{} || end != id.data() + id.size() || v.update_id <= 0) return std::nullopt;
  return v;
}

}  // namespace microalign
