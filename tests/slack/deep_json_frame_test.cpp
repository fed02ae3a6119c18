// The issue: "a body nested 100,000 deep is refused, not parsed — the Slack frame reader today
// overflows its stack on one". nlohmann's parser and destructor are iterative, but copying a
// value is not: read_frame copied an envelope's payload, and a payload nested 100,000 deep
// took the process down before the bot could say the frame was malformed.
#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "microalign/core/json_depth.hpp"
#include "microalign/slack/frames.hpp"

using namespace microalign::slack;
using microalign::max_json_depth;

namespace {

std::string nested(const std::string& open, const std::string& inner, const std::string& close, std::size_t depth) {
  std::string text;
  text.reserve(depth * (open.size() + close.size()) + inner.size());
  for (std::size_t i = 0; i < depth; ++i) text += open;
  text += inner;
  for (std::size_t i = 0; i < depth; ++i) text += close;
  return text;
}

// Refused as malformed, with a reason that says why.
void check_refused_as_too_deep(const std::string& text) {
  const auto frame = read_frame(text);
  REQUIRE(std::holds_alternative<MalformedFrame>(frame));
  CHECK_THAT(std::get<MalformedFrame>(frame).reason, Catch::Contains("nested"));
}

}  // namespace

TEST_CASE("a Slack frame nested 100,000 deep is refused, not parsed", "[frames][deep_json]") {
  constexpr std::size_t deep = 100'000;
  SECTION("an envelope whose payload nests objects (the frame that overflowed the stack)") {
    check_refused_as_too_deep(R"({"envelope_id":"e1","type":"events_api","payload":)" +
                              nested(R"({"a":)", "1", "}", deep) + "}");
  }
  SECTION("an envelope whose payload nests arrays") {
    check_refused_as_too_deep(R"({"envelope_id":"e1","type":"interactive","payload":)" + nested("[", "", "]", deep) +
                              "}");
  }
  SECTION("a frame that is only arrays") { check_refused_as_too_deep(nested("[", "", "]", deep)); }
  SECTION("a frame that is only objects") { check_refused_as_too_deep(nested(R"({"a":)", "1", "}", deep)); }
  SECTION("a hello whose debug_info nests") {
    check_refused_as_too_deep(R"({"type":"hello","debug_info":)" + nested(R"({"a":)", "1", "}", deep) + "}");
  }
  SECTION("nested, and cut short") { check_refused_as_too_deep(nested("[", "", "]", deep).substr(0, deep + 10)); }
}

TEST_CASE("a frame nested up to the limit still reads", "[frames][deep_json]") {
  // The envelope is one level, its payload the next: the payload may nest max_json_depth - 1.
  const auto at_limit =
      R"({"envelope_id":"e1","type":"events_api","payload":)" + nested(R"({"a":)", "1", "}", max_json_depth - 1) + "}";
  const auto frame = read_frame(at_limit);
  REQUIRE(std::holds_alternative<Envelope>(frame));
  CHECK(std::get<Envelope>(frame).payload.is_object());

  const auto one_over =
      R"({"envelope_id":"e1","type":"events_api","payload":)" + nested(R"({"a":)", "1", "}", max_json_depth) + "}";
  check_refused_as_too_deep(one_over);
}

TEST_CASE("brackets in a frame's strings are text, not nesting", "[frames][deep_json]") {
  const auto text = R"({"envelope_id":"e1","type":"events_api","payload":{"event":{"text":")" +
                    nested("[", R"(\"{)", "]", 100'000) + R"("}}})";
  const auto frame = read_frame(text);
  REQUIRE(std::holds_alternative<Envelope>(frame));
  CHECK(std::get<Envelope>(frame).payload.at("event").at("text") ==
        std::string(100'000, '[') + "\"{" + std::string(100'000, ']'));
}
