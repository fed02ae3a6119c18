#include <catch2/catch.hpp>

#include "microalign/core/text.hpp"

namespace microalign {
namespace {

TEST_CASE("invalid UTF-8 becomes U+FFFD, one for each maximal subpart", "[text][utf8]") {
  const std::string r(replacement_character);
  CHECK(sanitize_utf8("ok \x80 \xBF") == "ok " + r + " " + r);  // lone continuations
  CHECK(sanitize_utf8("\xE2\x82") == r);                        // truncated
  CHECK(sanitize_utf8("\xE2\x82x") == r + "x");
  CHECK(sanitize_utf8("\xC0\xAF") == r + r);                  // overlong '/'
  CHECK(sanitize_utf8("\xE0\x80\xAF") == r + r + r);          // overlong
  CHECK(sanitize_utf8("\xED\xA0\x80") == r + r + r);          // surrogate
  CHECK(sanitize_utf8("\xF4\x90\x80\x80") == r + r + r + r);  // past U+10FFFF
  CHECK(sanitize_utf8("\xFF\xFE") == r + r);
  CHECK(sanitize_utf8("é€😀") == "é€😀");
}

TEST_CASE("code points are read with their length", "[text][utf8]") {
  const std::string text = "a€😀\xFF";
  CHECK(code_point_at(text, 0).value == U'a');
  CHECK(code_point_at(text, 1).value == U'€');
  CHECK(code_point_at(text, 1).length == 3);
  CHECK(code_point_at(text, 4).value == U'😀');
  CHECK(code_point_at(text, 4).length == 4);
  CHECK_FALSE(code_point_at(text, 8).valid);
}

TEST_CASE("a sanitised text is cut between characters and shows the cut", "[text][utf8]") {
  CHECK(sanitize_utf8("héllo", 10) == "héllo");
  CHECK(sanitize_utf8("héllo wörld", 8) == "héll…");
  CHECK(sanitize_utf8("ééé", 6) == "ééé");
  CHECK(sanitize_utf8("éééé", 6) == "é…");
  CHECK(sanitize_utf8("abcdef", 2) == "ab");
}

}  // namespace
}  // namespace microalign
