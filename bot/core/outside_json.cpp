#include "microalign/core/outside_json.hpp"

#include <charconv>
#include <optional>
#include <string>

#include "microalign/core/json_depth.hpp"

namespace microalign {
namespace {

// The code unit of the four hex digits at `at`, if there are four.
std::optional<unsigned> hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return std::nullopt;
  const char* first = text.data() + at;
  unsigned unit = 0;
  const auto [end, error] = std::from_chars(first, first + 4, unit, 16);
  if (error != std::errc{} || end != first + 4) return std::nullopt;
  return unit;
}

bool high_surrogate(unsigned unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool low_surrogate(unsigned unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

// `text` with every \uXXXX escape of a surrogate that is not half of a pair rewritten as \ufffd;
// nullopt when there is none. One pass: an escape is a backslash and the character after it
// (so the "\u" of "\\u" is text, not an escape); outside strings a backslash is not JSON anyway.
std::optional<std::string> without_lone_surrogates(std::string_view text) {
  std::string out;
  std::size_t copied = 0;  // text before this is in `out`
  bool changed = false;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '\\') continue;
    const auto unit = text[i + 1] == 'u' ? hex4(text, i + 2) : std::nullopt;
    if (!unit) {
      ++i;  // the escaped character
      continue;
    }
    if (high_surrogate(*unit) && text.substr(i + 6, 2) == "\\u") {
      if (const auto next = hex4(text, i + 8); next && low_surrogate(*next)) {
        i += 11;  // a pair: one character, kept
        continue;
      }
    }
    if (high_surrogate(*unit) || low_surrogate(*unit)) {
      out.append(text.substr(copied, i - copied)).append("\\ufffd");
      copied = i + 6;
      changed = true;
    }
    i += 5;
  }
  if (!changed) return std::nullopt;
  out.append(text.substr(copied));
  return out;
}

}  // namespace

OutsideJson read_outside_json(std::string_view text) {
  OutsideJson read;
  if (!json_nesting_within(text)) {
    read.value = nlohmann::json(nlohmann::json::value_t::discarded);
    read.too_deep = true;
    return read;
  }
  read.value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  // Only a document the parser refused is looked at again, so valid JSON costs nothing more.
  if (read.value.is_discarded()) {
    if (const auto repaired = without_lone_surrogates(text)) {
      read.value = nlohmann::json::parse(*repaired, nullptr, /*allow_exceptions=*/false);
    }
  }
  return read;
}

}  // namespace microalign
