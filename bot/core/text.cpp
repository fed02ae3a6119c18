#include "microalign/core/text.hpp"

namespace microalign {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

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

}  // namespace microalign
