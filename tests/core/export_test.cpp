#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "microalign/core/export.hpp"

using namespace microalign;

namespace {

Update sample_update() {
  Update u;
  u.id = 7;
  u.created_at = *parse_rfc3339("2026-11-23T09:30:00Z");
  u.where = {"T1", "C1", ""};
  u.user = "U1";
  u.source = UpdateSource::slash;
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = TicketState::delayed;
  u.parsed.delay_days = 2;
  u.parsed.tickets = {"ENG-42", "acme/web#9"};
  u.parsed.links = {"https://github.com/acme/web/pull/9"};
  u.parsed.text = "ENG-42 +2d, \"flaky\" tests";
  return u;
}

}  // namespace

TEST_CASE("RFC 3339 times round-trip in UTC", "[export]") {
  CHECK(format_rfc3339(*parse_rfc3339("2026-11-23T09:30:00Z")) == "2026-11-23T09:30:00Z");
  CHECK(format_rfc3339(*parse_rfc3339("2026-11-23T10:30:00+01:00")) == "2026-11-23T09:30:00Z");
  CHECK(format_rfc3339(*parse_rfc3339("2026-11-23T09:30:00.250Z")) == "2026-11-23T09:30:00Z");
  CHECK(format_rfc3339(*parse_rfc3339("2026-11-23")) == "2026-11-23T00:00:00Z");
  for (auto bad : {"", "yesterday", "2026-13-01T00:00:00Z", "2026-11-23T09:30:00Zjunk"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}

// The date library read a time of "11247:17.226" as NaN seconds and converted that to an integer
// (undefined behaviour), found by tracker_webhook_fuzz in a Linear payload's createdAt.
TEST_CASE("parse_rfc3339 refuses a time the date library would read as NaN seconds", "[export]") {
  for (auto bad : {"2021-01-30T11247:17.226Z", "2021-01-30T11:47:17.Z", "2021-01-30T11:47:17.1234567890Z",
                   "2021-01-30T11:47Z", "2021-01-30 11:47:17Z", "2021-01-30T11:47:17+1", "2021-1-30"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
  CHECK(format_rfc3339(*parse_rfc3339("2021-01-30T11:47:17.226Z")) == "2021-01-30T11:47:17Z");
  CHECK(format_rfc3339(*parse_rfc3339("2021-01-30T12:47:17+0100")) == "2021-01-30T11:47:17Z");
}

TEST_CASE("a JSON line has every field, nulls included", "[export]") {
  auto line = nlohmann::json::parse(export_line(sample_update(), "slack", ExportFormat::jsonl));
  CHECK(line["platform"] == "slack");
  CHECK(line["id"] == 7);
  CHECK(line["created_at"] == "2026-11-23T09:30:00Z");
  CHECK(line["team"] == "T1");
  CHECK(line["channel"] == "C1");
  CHECK(line["user"] == "U1");
  CHECK(line["source"] == "slash");
  CHECK(line["kind"] == "status");
  CHECK(line["state"] == "delayed");
  CHECK(line["tickets"] == nlohmann::json{"ENG-42", "acme/web#9"});
  CHECK(line["links"] == nlohmann::json{"https://github.com/acme/web/pull/9"});
  CHECK(line["delay_days"] == 2);
  CHECK(line["text"] == "ENG-42 +2d, \"flaky\" tests");

  auto plain = sample_update();
  plain.parsed.state.reset();
  plain.parsed.delay_days.reset();
  auto nulls = nlohmann::json::parse(export_line(plain, "teams", ExportFormat::jsonl));
  CHECK(nulls["state"].is_null());
  CHECK(nulls["delay_days"].is_null());
}

TEST_CASE("CSV quotes what needs quoting and defuses formulas", "[export]") {
  CHECK(csv_header() == "id,created_at,team,channel,user,source,kind,state,tickets,links,delay_days,text,platform");
  CHECK(export_line(sample_update(), "slack", ExportFormat::csv) ==
        "7,2026-11-23T09:30:00Z,T1,C1,U1,slash,status,delayed,ENG-42 acme/web#9,"
        "https://github.com/acme/web/pull/9,2,\"ENG-42 +2d, \"\"flaky\"\" tests\",slack");
  auto formula = sample_update();
  formula.parsed.text = "=HYPERLINK(\"http://evil\")";
  CHECK(export_line(formula, "slack", ExportFormat::csv).ends_with(",\"'=HYPERLINK(\"\"http://evil\"\")\",slack"));
  auto multiline = sample_update();
  multiline.parsed.text = "line one\nline two";
  CHECK(export_line(multiline, "teams", ExportFormat::csv).ends_with(",\"line one\nline two\",teams"));
}
