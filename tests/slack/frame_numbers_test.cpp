// The issue: "num_connections: 1e10 or retry_attempt: 3e9 in a Socket Mode frame converts an
// out-of-range double to an integer". read_frame took any JSON number with get<int>(), and a
// double outside int's range (1e10, 1e300) cast to int is undefined behaviour (UBSan:
// "outside the range of representable values"). Numbers in frames are now read checked: a
// number that is not an integer in range is dropped, and the frame is read as if it were absent.
#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "microalign/slack/frames.hpp"

using namespace microalign::slack;

namespace {

// Each written the way a hostile or broken peer might: too big for int, negative, a fraction,
// an exponent, a string, null, an array, an object.
const char* const odd_numbers[] = {"1e10",
                                   "3e9",
                                   "3000000000",
                                   "-1",
                                   "1e300",
                                   "-1e300",
                                   "2.5",
                                   "\"2\"",
                                   "null",
                                   "[2]",
                                   "{}",
                                   "18446744073709551615",
                                   "-9223372036854775808"};

}  // namespace

TEST_CASE("a frame with num_connections 1e10 is read without undefined behaviour, the number dropped",
          "[frames][numbers]") {
  for (const char* odd : odd_numbers) {
    INFO(odd);
    const auto frame = read_frame(std::string(R"({"type":"hello","num_connections":)") + odd + "}");
    // Still a hello: refusing it would leave the socket waiting for the hello that already came.
    REQUIRE(std::holds_alternative<Hello>(frame));
    CHECK(std::get<Hello>(frame).num_connections == 0);
  }
  // Its recycle time, in seconds as a long, likewise.
  for (const char* odd : {"1e300", "-1", "2.5", "\"18060\"", "18446744073709551615"}) {
    INFO(odd);
    const auto frame =
        read_frame(std::string(R"({"type":"hello","debug_info":{"approximate_connection_time":)") + odd + "}}");
    REQUIRE(std::holds_alternative<Hello>(frame));
    CHECK(std::get<Hello>(frame).approximate_connection_time == std::chrono::seconds(0));
  }
}

TEST_CASE("an envelope with retry_attempt 3e9 is read without undefined behaviour, still work to do",
          "[frames][numbers]") {
  for (const char* odd : odd_numbers) {
    INFO(odd);
    const auto frame = read_frame(std::string(R"({"envelope_id":"e1","type":"events_api","payload":{},)") +
                                  R"("retry_attempt":)" + odd + R"(,"retry_reason":"timeout"})");
    REQUIRE(std::holds_alternative<Envelope>(frame));
    CHECK(std::get<Envelope>(frame).envelope_id == "e1");
    CHECK(std::get<Envelope>(frame).retry_attempt == 0);
  }
}

TEST_CASE("numbers in range still read", "[frames][numbers]") {
  const auto hello =
      read_frame(R"({"type":"hello","num_connections":2147483647,"debug_info":{"approximate_connection_time":18060}})");
  REQUIRE(std::holds_alternative<Hello>(hello));
  CHECK(std::get<Hello>(hello).num_connections == 2147483647);
  CHECK(std::get<Hello>(hello).approximate_connection_time == std::chrono::seconds(18060));
  const auto envelope = read_frame(R"({"envelope_id":"e1","type":"events_api","payload":{},"retry_attempt":3})");
  REQUIRE(std::holds_alternative<Envelope>(envelope));
  CHECK(std::get<Envelope>(envelope).retry_attempt == 3);
}
