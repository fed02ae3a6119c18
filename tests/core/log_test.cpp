// Log lines: text for people, JSON lines with stable keys for log shippers; one line per event
// whatever the message holds.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "microalign/core/log.hpp"
#include "microalign/core/export.hpp"

using namespace microalign;
using log::Format;
using log::Level;

namespace {

const auto at = *parse_rfc3339("2026-11-25T09:30:00.123Z");

}  // namespace

TEST_CASE("text lines: time, level, component, message", "[log]") {
  CHECK(log::format_line(Format::text, at, Level::info, "storage", "database at schema version 9") ==
        "2026-11-25T09:30:00.123Z info storage: database at schema version 9\n");
  // A newline in a message cannot make one event look like two.
  CHECK(log::format_line(Format::text, at, Level::warn, "slack.api", "one\ntwo\r\nthree") ==
        "2026-11-25T09:30:00.123Z warn slack.api: one two  three\n");
}

TEST_CASE("JSON lines: the same four keys, in order, on one line", "[log]") {
  const auto line = log::format_line(Format::json, at, Level::error, "main", "stopped");
  CHECK(line == R"({"time":"2026-11-25T09:30:00.123Z","level":"error","component":"main","message":"stopped"})"
                "\n");

  SECTION("what a message holds is escaped, never structure") {
    const std::string message = "said \"hi\"\nthen \\ left\t\x01 {\"level\":\"debug\"}";
    const auto escaped = log::format_line(Format::json, at, Level::info, "slack", message);
    CHECK(escaped.find('\n') == escaped.size() - 1);
    const auto json = nlohmann::json::parse(escaped);
    CHECK(json.size() == 4);
    CHECK(json["message"] == message);
    CHECK(json["level"] == "info");
  }
  SECTION("bytes that are not UTF-8 are replaced, not fatal") {
    const auto json = nlohmann::json::parse(log::format_line(Format::json, at, Level::info, "teams", "bad \xff byte"));
    CHECK(json["message"] == "bad \xEF\xBF\xBD byte");
  }
  for (auto level : {Level::debug, Level::info, Level::warn, Level::error}) {
    const auto json = nlohmann::json::parse(log::format_line(Format::json, at, level, "c", "m"));
    CHECK(log::level_from_string(json["level"].get<std::string>()) == level);
  }
}

TEST_CASE("formats by name", "[log]") {
  CHECK(log::format_from_string("text") == Format::text);
  CHECK(log::format_from_string("json") == Format::json);
  CHECK_FALSE(log::format_from_string("JSON"));
  CHECK_FALSE(log::format_from_string(""));
}
