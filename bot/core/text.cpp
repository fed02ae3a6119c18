#include "microalign/core/text.hpp"

#include <algorithm>

namespace microalign {

std::string count_of(long long n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::string shortened(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  bool space_pending = false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_space(byte)) {
      space_pending = !out.empty();
      continue;
    }
    if ((byte & 0xC0) != 0x80) {  // the first byte of a character
      const std::size_t needed = space_pending ? 2 : 1;
      if (chars + needed > max_chars) return out + "…";
      if (space_pending) out += ' ';
      chars += needed;
      space_pending = false;
    }
    out += c;
  }
  return out;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), lower);
  return out;
}

std::string upper_case(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), upper);
  return out;
}

}  // namespace microalign
