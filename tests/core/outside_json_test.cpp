// read_outside_json: the one way JSON from outside is read (depth refused before parsing, lone
// surrogates read as U+FFFD rather than losing the document).
#include <catch2/catch.hpp>
#include <string>

#include "microalign/core/json_depth.hpp"
#include "microalign/core/outside_json.hpp"

using microalign::read_outside_json;

namespace {

const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

std::string text_of(std::string_view json) {
  const auto read = read_outside_json(json);
  REQUIRE_FALSE(read.value.is_discarded());
  return read.value.at("t").get<std::string>();
}

}  // namespace

TEST_CASE("outside JSON nested too deep is refused before parsing, and says so", "[outside_json]") {
  const auto read = read_outside_json(std::string(100'000, '[') + std::string(100'000, ']'));
  CHECK(read.value.is_discarded());
  CHECK(read.too_deep);
  const auto at_limit =
      read_outside_json(std::string(microalign::max_json_depth, '[') + std::string(microalign::max_json_depth, ']'));
  CHECK(at_limit.value.is_array());
  CHECK_FALSE(at_limit.too_deep);
}

TEST_CASE("outside JSON that is not JSON is refused, not thrown", "[outside_json]") {
  for (const char* text : {"", "{", "<html>", "{\"t\":\"\xff\"}", "{\"t\":\"\\u12\"}", "\\ud800"}) {
    INFO(text);
    const auto read = read_outside_json(text);
    CHECK(read.value.is_discarded());
    CHECK_FALSE(read.too_deep);
  }
}

TEST_CASE("a lone surrogate escape reads as U+FFFD and the rest of the text is kept", "[outside_json]") {
  CHECK(text_of(R"({"t":"a\ud800b"})") == "a" + replacement + "b");
  CHECK(text_of(R"({"t":"a\udc00b"})") == "a" + replacement + "b");
  CHECK(text_of(R"({"t":"\uD800"})") == replacement);
  CHECK(text_of(R"({"t":"x\ud83d"})") == "x" + replacement);  // half an emoji, cut at the end
  // A high surrogate followed by another high one: the first is lone, the second pairs.
  CHECK(text_of(R"({"t":"\ud83d\ud83d\ude00"})") == replacement + "\xF0\x9F\x98\x80");
  CHECK(text_of(R"({"t":"\ude00\ud83d"})") == replacement + replacement);
  // Text that only looks like an escape is text: "\\ud800" is a backslash and "ud800".
  CHECK(text_of(R"({"t":"\\ud800","u":"\ud800"})") == "\\ud800");
}

TEST_CASE("valid pairs and other escapes are read as the parser reads them", "[outside_json]") {
  CHECK(text_of(R"({"t":"\ud83d\ude00 \u00e9 \n \" \\"})") == "\xF0\x9F\x98\x80 \xC3\xA9 \n \" \\");
}
