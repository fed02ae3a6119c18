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

CodePoint code_point_at(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return {lead, 1, true};

  // The ranges exclude overlong forms (E0 80–9F, F0 80–8F), surrogates (ED A0–BF) and anything
  // past U+10FFFF (F4 90–BF).
  std::size_t length = 0;
  char32_t value = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {0xFFFD, 1, false};
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (at + i >= text.size() || byte(at + i) < low || byte(at + i) > high) {
      return {0xFFFD, i, false};
    }
    value = (value << 6) | (byte(at + i) & 0x3Fu);
    low = 0x80;
    high = 0xBF;
  }
  return {value, length, true};
}

std::string sanitize_utf8(std::string_view text, std::size_t max_bytes) {
  // Appends whole code points while they fit in `budget` bytes; true when all of `text` fitted.
  return within_limit(max_bytes, [&](std::string& out, std::size_t budget) {
    for (std::size_t at = 0; at < text.size();) {
      const auto point = code_point_at(text, at);
      const auto piece = point.valid ? text.substr(at, point.length) : replacement_character;
      if (out.size() + piece.size() > budget) return false;
      out += piece;
      at += point.length;
    }
    return true;
  });
}

}  // namespace microalign
