#include "microalign/core/json_depth.hpp"

namespace microalign {

// One pass, one counter, no allocation. For valid JSON the count is the real nesting: outside
// strings every bracket opens or closes a container. For invalid JSON it may be anything, but
// the parser refuses such text before building a tree out of it; a stray closer never takes
// the count below zero, so it cannot buy room for deeper nesting later on.
bool json_nesting_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;  // the previous character, inside a string, was an unescaped backslash
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return false;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return true;
}

}  // namespace microalign
