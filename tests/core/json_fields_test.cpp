// json_integer reads a whole number from JSON someone else wrote, refusing what get<int>() would
// convert with undefined behaviour (a double out of range) or silently (a fraction, a string).
// core_tests_sanitized runs these under UBSan too.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

#include "microalign/core/json_fields.hpp"

using microalign::json_integer;
using microalign::json_integer_member;
using Json = nlohmann::json;

TEST_CASE("json_integer reads integers within range", "[json_integer]") {
  CHECK(json_integer<int>(Json::parse("0")) == 0);
  CHECK(json_integer<int>(Json::parse("-7")) == -7);
  CHECK(json_integer<int>(Json::parse("2147483647")) == std::numeric_limits<int>::max());
  CHECK(json_integer<int>(Json::parse("-2147483648")) == std::numeric_limits<int>::min());
  CHECK(json_integer<std::uint64_t>(Json::parse("18446744073709551615")) == std::numeric_limits<std::uint64_t>::max());
  CHECK(json_integer<std::int64_t>(Json::parse("-9223372036854775808")) == std::numeric_limits<std::int64_t>::min());
  CHECK(json_integer<long>(Json::parse("5"), 1, 9) == 5);
}

TEST_CASE("json_integer refuses numbers out of range, fractions, exponents and other types", "[json_integer]") {
  for (const char* text : {"2147483648", "-2147483649", "3000000000", "18446744073709551615", "1e10", "1e300", "-1e300",
                           "2.5", "2.0", "\"2\"", "null", "true", "[2]", "{\"a\":2}"}) {
    INFO(text);
    CHECK_FALSE(json_integer<int>(Json::parse(text)));
  }
  CHECK_FALSE(json_integer<unsigned>(Json::parse("-1")));
  CHECK_FALSE(json_integer<std::uint64_t>(Json::parse("-1")));
  CHECK_FALSE(json_integer<long>(Json::parse("0"), 1, 9));
  CHECK_FALSE(json_integer<long>(Json::parse("10"), 1, 9));
}

TEST_CASE("json_integer_member reads a member, or nothing", "[json_integer]") {
  const auto object = Json::parse(R"({"n":3,"big":1e10,"text":"3"})");
  CHECK(json_integer_member<int>(object, "n") == 3);
  CHECK_FALSE(json_integer_member<int>(object, "big"));
  CHECK_FALSE(json_integer_member<int>(object, "text"));
  CHECK_FALSE(json_integer_member<int>(object, "absent"));
  CHECK_FALSE(json_integer_member<int>(Json::parse("[3]"), "n"));
}
