#include "microalign/core/json_depth.hpp"

#include <catch2/catch.hpp>
#include <string>

using microalign::json_nesting_within;
using microalign::max_json_depth;

namespace {

std::string nested(const std::string& open, const std::string& inner, const std::string& close, std::size_t depth) {
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += open;
  text += inner;
  for (std::size_t i = 0; i < depth; ++i) text += close;
  return text;
}

std::string arrays(std::size_t depth) { return nested("[", "", "]", depth); }
std::string objects(std::size_t depth) { return nested(R"({"a":)", "1", "}", depth); }

}  // namespace

TEST_CASE("nesting at the limit is within it, one deeper is not", "[json_depth]") {
  CHECK(json_nesting_within(arrays(max_json_depth)));
  CHECK_FALSE(json_nesting_within(arrays(max_json_depth + 1)));
  CHECK(json_nesting_within(objects(max_json_depth)));
  CHECK_FALSE(json_nesting_within(objects(max_json_depth + 1)));
  CHECK(json_nesting_within(arrays(3), 3));
  CHECK_FALSE(json_nesting_within(arrays(4), 3));
  CHECK_FALSE(json_nesting_within(arrays(100'000)));
  CHECK_FALSE(json_nesting_within(objects(100'000)));
}

TEST_CASE("arrays and objects count alike, mixed", "[json_depth]") {
  CHECK(json_nesting_within(R"({"a":[{"b":[1]}]})", 4));
  CHECK_FALSE(json_nesting_within(R"({"a":[{"b":[1]}]})", 3));
  // Siblings do not add up: only how deep, not how many.
  CHECK(json_nesting_within(R"([[1],[2],[3],{"a":1},{}])", 2));
  CHECK_FALSE(json_nesting_within(R"([[1],[2],[[3]]])", 2));
}

TEST_CASE("scalars and empty text nest nothing", "[json_depth]") {
  for (const char* text : {"", "1", "true", "null", R"("[[[[")", "  "}) {
    INFO(text);
    CHECK(json_nesting_within(text, 0));
  }
  CHECK_FALSE(json_nesting_within("[]", 0));
  CHECK(json_nesting_within("[]", 1));
}

TEST_CASE("brackets inside strings do not count", "[json_depth]") {
  const std::string text = R"({"text":")" + arrays(1000) + nested("{", "", "}", 1000) + R"("})";
  CHECK(json_nesting_within(text, 1));
  CHECK(json_nesting_within(R"(["[{", "}]", "[[[", "]]]"])", 1));
}

TEST_CASE("escaped quotes do not end a string, escaped backslashes do not escape", "[json_depth]") {
  // \" stays inside the string: the brackets after it are still text.
  CHECK(json_nesting_within(R"(["a\"[[[[["])", 1));
  // \\ is a backslash; the quote after it closes the string, so the brackets after are real.
  CHECK_FALSE(json_nesting_within(R"(["a\\", [[[1]]]])", 3));
  CHECK(json_nesting_within(R"(["a\\", [[[1]]]])", 4));
  // \\\" is a backslash, then an escaped quote: still inside.
  CHECK(json_nesting_within(R"(["a\\\"[[[[["])", 1));
  // Other escapes (\n, \u005b — an escaped "[") are one character each and change nothing.
  CHECK(json_nesting_within(R"(["\n\u005b[[", "\t"])", 1));
}

TEST_CASE("unbalanced input: closers never make room for deeper nesting", "[json_depth]") {
  CHECK_FALSE(json_nesting_within(arrays(5).substr(0, 5), 4));  // "[[[[[" never closed
  CHECK(json_nesting_within("]]]]]]]]", 0));
  // Stray closers first do not lower the count below zero.
  CHECK_FALSE(json_nesting_within("]]]]]]]][[[[[", 4));
  CHECK(json_nesting_within("[[]][[]][[]]", 2));
  // A string left open hides the rest, which the parser will refuse anyway.
  CHECK(json_nesting_within(R"(["abc[[[[[[[[)", 1));
}
