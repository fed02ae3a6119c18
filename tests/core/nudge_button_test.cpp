#include <catch2/catch.hpp>

#include "microalign/core/nudge_message.hpp"

using namespace microalign;

TEST_CASE("nudge buttons carry their ticket in a short, strict value", "[nudge_message]") {
  const NudgeButtonValue v{"C0123", "acme/web#9", 1234};
  CHECK(encode_nudge_button(v) == "C0123 acme/web#9 1234");
  CHECK(decode_nudge_button(encode_nudge_button(v)) == v);
  for (const auto* bad : {"", "C1", "C1 ENG-1", "C1 ENG-1 x", "C1 ENG-1 0", "C1 ENG-1 -3", " ENG-1 3", "C1  3",
                          "C1 ENG 1 3", "C1 ENG-1 3 "}) {
    CHECK_FALSE(decode_nudge_button(bad));
  }
}
