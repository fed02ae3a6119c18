// Small text helpers shared by everything that writes lines for people to read.
#pragma once

#include <string>
#include <string_view>

namespace microalign {

// A note fit for one line: whitespace runs (line breaks included) become one space, and past
// `max_chars` characters the text is cut before a character, never inside one, and ends in "…".
std::string shortened(std::string_view text, std::size_t max_chars);

// "1 day", "3 days": a count with its noun.
std::string count_of(long long n, std::string_view one, std::string_view many);

// ASCII-only case changes: keywords, URL schemes and ticket keys are ASCII, and other
// characters pass through untouched.
std::string lower_case(std::string_view text);
std::string upper_case(std::string_view text);

// ---- UTF-8: what every renderer needs before text goes into JSON (nlohmann::json refuses to
// serialise invalid UTF-8, and a platform would reject it anyway).

inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

// One step through UTF-8: the code point at byte `at` and how many bytes it takes. An invalid
// sequence is reported (`valid` false, value U+FFFD) as the longest prefix that could have started
// a valid one (Unicode's "maximal subpart"), so each becomes a single U+FFFD and the byte after it
// is read afresh. Overlong forms, surrogates and anything past U+10FFFF are invalid.
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;
  bool valid = true;
};
CodePoint code_point_at(std::string_view text, std::size_t at);

// Replaces invalid UTF-8 sequences with U+FFFD and truncates to at most `max_bytes` bytes on a
// code-point boundary (ending in "…" when cut, if there is room for it).
std::string sanitize_utf8(std::string_view, std::size_t max_bytes = std::string::npos);

// Runs `fill(out, budget)` (true when everything fitted) with the whole budget; when not
// everything fitted, fills again with room kept for "…" and appends it, so a cut is always
// visible and the limit always holds.
template <typename Fill>
std::string within_limit(std::size_t max_bytes, Fill fill) {
  constexpr std::string_view ellipsis = "…";
  std::string out;
  if (fill(out, max_bytes)) return out;
  out.clear();
  if (max_bytes < ellipsis.size()) {
    fill(out, max_bytes);
    return out;
  }
  fill(out, max_bytes - ellipsis.size());
  out += ellipsis;
  return out;
}

}  // namespace microalign
