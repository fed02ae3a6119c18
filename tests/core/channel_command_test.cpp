// The `/microalign …` grammar as a table: what people type, and what it is read as. Results are
// shown as text ("digest weekly mon 09:00 thread", "tz Europe/Berlin", "invalid: …") so a
// failure prints both sides readably.
#include <catch2/catch.hpp>

#include "microalign/core/channel_command.hpp"

namespace microalign::channel_command {
namespace {

struct Shown {
  std::string operator()(const SetDigest& set) const { return "digest " + describe(set.schedule); }
  std::string operator()(const DigestOff&) const { return "digest off"; }
  std::string operator()(const DigestNow&) const { return "digest now"; }
  std::string operator()(const SetTimeZone& set) const { return "tz " + set.zone; }
  std::string operator()(const SetQuietThreshold& set) const {
    return "quiet " + std::to_string(set.working_days);
  }
  std::string operator()(const ShowSettings&) const { return "settings"; }
  std::string operator()(const ShowTicket& show) const { return "ticket " + show.key; }
  std::string operator()(const Help&) const { return "help"; }
  std::string operator()(const Invalid& invalid) const { return "invalid: " + invalid.message; }
};

std::string read(std::string_view text) { return std::visit(Shown{}, parse(text)); }

struct Row {
  std::string_view typed;
  std::string_view read_as;
};

void check_rows(const std::vector<Row>& rows) {
  for (const auto& row : rows) {
    INFO('"' << row.typed << '"');
    CHECK(read(row.typed) == row.read_as);
  }
}

std::string invalid_message(std::string_view text) {
  const auto parsed = parse(text);
  REQUIRE(std::holds_alternative<Invalid>(parsed));
  return std::get<Invalid>(parsed).message;
}

TEST_CASE("digest schedules", "[channel_command]") {
  check_rows({
      {"digest daily 09:30", "digest daily 09:30"},
      {"digest weekdays 17:00", "digest weekdays 17:00"},
      {"digest weekly mon 09:00", "digest weekly mon 09:00"},
      {"digest daily 09:30 thread", "digest daily 09:30 thread"},
      {"digest weekdays 17:00 thread", "digest weekdays 17:00 thread"},
      {"digest weekly fri 16:30 thread", "digest weekly fri 16:30 thread"},
      {"digest daily 00:00", "digest daily 00:00"},
      {"digest daily 23:59", "digest daily 23:59"},
      {"digest daily at 9:30", "digest daily 09:30"},
      {"digest weekly monday at 9am", "digest weekly mon 09:00"},
      {"digest off", "digest off"},
      {"digest now", "digest now"},
  });
}

TEST_CASE("every way of naming a weekday", "[channel_command]") {
  check_rows({
      {"digest weekly mon 09:00", "digest weekly mon 09:00"},
      {"digest weekly Monday 09:00", "digest weekly mon 09:00"},
      {"digest weekly MON 09:00", "digest weekly mon 09:00"},
      {"digest weekly tue 09:00", "digest weekly tue 09:00"},
      {"digest weekly tues 09:00", "digest weekly tue 09:00"},
      {"digest weekly Wednesday 09:00", "digest weekly wed 09:00"},
      {"digest weekly thu 09:00", "digest weekly thu 09:00"},
      {"digest weekly thurs 09:00", "digest weekly thu 09:00"},
      {"digest weekly friday 09:00", "digest weekly fri 09:00"},
      {"digest weekly sat 09:00", "digest weekly sat 09:00"},
      {"digest weekly Sun 09:00", "digest weekly sun 09:00"},
  });
}

TEST_CASE("times: 24-hour, 12-hour and hours-only", "[channel_command]") {
  check_rows({
      {"digest daily 9:30", "digest daily 09:30"},
      {"digest daily 09:30", "digest daily 09:30"},
      {"digest daily 17h", "digest daily 17:00"},
      {"digest daily 9am", "digest daily 09:00"},
      {"digest daily 9AM", "digest daily 09:00"},
      {"digest daily 5pm", "digest daily 17:00"},
      {"digest daily 5:30pm", "digest daily 17:30"},
      {"digest daily 5:30 pm", "digest daily 17:30"},
      {"digest daily 9 am", "digest daily 09:00"},
      {"digest daily 12am", "digest daily 00:00"},
      {"digest daily 12pm", "digest daily 12:00"},
      {"digest daily 12:15am", "digest daily 00:15"},
  });
}

TEST_CASE("keywords in any case, words apart by any whitespace", "[channel_command]") {
  check_rows({
      {"DIGEST DAILY 09:30 THREAD", "digest daily 09:30 thread"},
      {"Digest Weekly Mon 9:00 Thread", "digest weekly mon 09:00 thread"},
      {"  digest   weekdays\t17:00  ", "digest weekdays 17:00"},
      {"digest\nweekly\n mon \t 09:00", "digest weekly mon 09:00"},
      {"Digest OFF", "digest off"},
      {"digest Now ", "digest now"},
      {"SETTINGS", "settings"},
      {"HELP", "help"},
      {"  TZ   Europe/Berlin ", "tz Europe/Berlin"},
      {"Quiet 2D", "quiet 2"},
      {"TICKET eng-42", "ticket ENG-42"},
  });
}

TEST_CASE("time zones: known IANA names, kept as typed", "[channel_command]") {
  check_rows({
      {"tz Europe/Berlin", "tz Europe/Berlin"},
      {"tz America/New_York", "tz America/New_York"},
      {"tz Asia/Kolkata", "tz Asia/Kolkata"},
      {"tz UTC", "tz UTC"},
  });
}

TEST_CASE("quiet thresholds in working days, 1 to 30", "[channel_command]") {
  check_rows({
      {"quiet 2d", "quiet 2"},
      {"quiet 2", "quiet 2"},
      {"quiet 2 days", "quiet 2"},
      {"quiet 1 day", "quiet 1"},
      {"quiet 5days", "quiet 5"},
      {"quiet 3 working days", "quiet 3"},
      {"quiet 30d", "quiet 30"},
      {"quiet 1", "quiet 1"},
  });
}

TEST_CASE("settings, tickets and help", "[channel_command]") {
  check_rows({
      {"settings", "settings"},
      {"ticket ENG-42", "ticket ENG-42"},
      {"ticket eng-42", "ticket ENG-42"},
      {"ticket acme/web#12", "ticket acme/web#12"},
      {"ticket Acme/Web#12", "ticket acme/web#12"},
      {"help", "help"},
      {"help digest", "help"},
      {"", "help"},
      {"   \t ", "help"},
  });
}

TEST_CASE("a described schedule reads back as the same schedule", "[channel_command]") {
  for (const auto* text : {"daily 09:30", "weekdays 17:00 thread", "weekly sun 00:05",
                           "weekly wed 23:59 thread"}) {
    const auto parsed = parse(std::string("digest ") + text);
    REQUIRE(std::holds_alternative<SetDigest>(parsed));
    CHECK(describe(std::get<SetDigest>(parsed).schedule) == text);
  }
}

TEST_CASE("times that cannot be read say so and show the right form", "[channel_command]") {
  CHECK(invalid_message("digest daily 25:00") ==
        "I couldn't read the time \"25:00\" — use 24-hour HH:MM, e.g. "
        "`/microalign digest daily 09:30`.");
  CHECK(invalid_message("digest weekly mon 9.30") ==
        "I couldn't read the time \"9.30\" — use 24-hour HH:MM, e.g. "
        "`/microalign digest weekly mon 09:00`.");
  for (const auto* time : {"24:00", "9:60", "9:5", "930", "9", "123:00", "13pm", "0am",
                           "9:30h", "-1:00", "+9:30", "noon", "9:30:00", "pm"}) {
    INFO(time);
    CHECK(invalid_message(std::string("digest weekdays ") + time) ==
          "I couldn't read the time \"" + std::string(time) +
              "\" — use 24-hour HH:MM, e.g. `/microalign digest weekdays 17:00`.");
  }
  CHECK(invalid_message("digest daily") ==
        "Say what time the digest should post, e.g. `/microalign digest daily 09:30`.");
}

TEST_CASE("other digest mistakes say what was wrong", "[channel_command]") {
  CHECK(invalid_message("digest weekly funday 09:00") ==
        "I couldn't read the day \"funday\" — name it before the time, like mon or monday, "
        "e.g. `/microalign digest weekly mon 09:00`.");
  CHECK(invalid_message("digest weekly 09:00") ==
        "I couldn't read the day \"09:00\" — name it before the time, like mon or monday, "
        "e.g. `/microalign digest weekly mon 09:00`.");
  CHECK(invalid_message("digest weekly mo 09:00").starts_with("I couldn't read the day \"mo\""));
  CHECK(invalid_message("digest weekly") ==
        "Say which day and time, e.g. `/microalign digest weekly mon 09:00`.");
  CHECK(invalid_message("digest daily 09:30 threaded please") ==
        "I didn't understand \"threaded please\" after the time: only `thread` can follow it, "
        "e.g. `/microalign digest daily 09:30 thread`.");
  CHECK(invalid_message("digest off now") ==
        "`/microalign digest off` takes nothing after it, and I didn't understand \"now\".");
  CHECK(invalid_message("digest now please") ==
        "`/microalign digest now` takes nothing after it, and I didn't understand \"please\".");

  const auto forms = "`/microalign digest daily 09:30`, `/microalign digest weekdays 17:00` or "
                     "`/microalign digest weekly mon 09:00` (add `thread` to put the details in "
                     "a thread), `/microalign digest now` or `/microalign digest off`.";
  CHECK(invalid_message("digest hourly 09:00") ==
        std::string("I don't know the digest schedule \"hourly\". Use daily, weekdays or weekly: ") +
            forms);
  CHECK(invalid_message("digest") == std::string("Say when to post the digest: ") + forms);
}

TEST_CASE("unknown time zones, quiet thresholds and tickets", "[channel_command]") {
  CHECK(invalid_message("tz Mars/Olympus_Mons") ==
        "I don't know the time zone \"Mars/Olympus_Mons\". Use an IANA name, spelled exactly "
        "(capitals too), such as Europe/Berlin, America/New_York or Asia/Kolkata, e.g. "
        "`/microalign tz Europe/Berlin`.");
  CHECK(invalid_message("tz europe/berlin").starts_with("I don't know the time zone"));
  CHECK(invalid_message("tz Europe/Berlin please").starts_with("I don't know the time zone"));
  CHECK(invalid_message("tz ../../etc/passwd").starts_with("I don't know the time zone"));
  CHECK(invalid_message("tz") ==
        "Which time zone? Give its IANA name, e.g. `/microalign tz Europe/Berlin`.");

  CHECK(invalid_message("quiet 0") ==
        "The quiet threshold is 1 to 30 working days, not 0, e.g. `/microalign quiet 3d`.");
  CHECK(invalid_message("quiet 31d") ==
        "The quiet threshold is 1 to 30 working days, not 31, e.g. `/microalign quiet 3d`.");
  for (const auto* amount : {"two days", "2w", "2 weeks", "1.5d", "-2", "d", "2 days please",
                             "99999999999"}) {
    INFO(amount);
    CHECK(invalid_message(std::string("quiet ") + amount) ==
          "I couldn't read \"" + std::string(amount) +
              "\" as a number of working days, e.g. `/microalign quiet 3d`.");
  }
  CHECK(invalid_message("quiet") ==
        "After how many working days without an update should a ticket count as quiet? e.g. "
        "`/microalign quiet 3d` (1–30).");

  for (const auto* ticket : {"42", "ENG", "ENG-42 OPS-7", "ENG-42,", "UTF-8", "acme/web",
                             "https://example.com/ENG-42"}) {
    INFO(ticket);
    CHECK(invalid_message(std::string("ticket ") + ticket) ==
          "I couldn't read the ticket \"" + std::string(ticket) +
              "\". Use a key like ENG-42 or a GitHub reference like owner/repo#12, e.g. "
              "`/microalign ticket ENG-42`.");
  }
  CHECK(invalid_message("ticket") ==
        "Which ticket? e.g. `/microalign ticket ENG-42` or `/microalign ticket owner/repo#12`.");
  CHECK(invalid_message("settings please") ==
        "`/microalign settings` takes nothing after it, and I didn't understand \"please\".");
}

TEST_CASE("an unknown subcommand lists every form", "[channel_command]") {
  CHECK(invalid_message("schedule daily 9:00") ==
        "I don't know \"schedule\". I understand:\n"
        "• `/microalign digest daily 09:30`\n"
        "• `/microalign digest weekdays 17:00`\n"
        "• `/microalign digest weekly mon 09:00`\n"
        "• `/microalign digest daily 09:30 thread`\n"
        "• `/microalign digest now`\n"
        "• `/microalign digest off`\n"
        "• `/microalign tz Europe/Berlin`\n"
        "• `/microalign quiet 3d`\n"
        "• `/microalign settings`\n"
        "• `/microalign ticket ENG-42`\n"
        "• `/microalign help`\n"
        "`/microalign help` says what each one does.");
}

TEST_CASE("what the user typed is quoted short, never cut inside a character",
          "[channel_command]") {
  const auto message = invalid_message("tz " + std::string(38, 'x') + "ééé");
  CHECK(message.starts_with("I don't know the time zone \"" + std::string(38, 'x') + "é…\"."));
  CHECK(invalid_message(std::string(500, 'z')).size() < 1000);
}

TEST_CASE("the help text explains every form and says nobody is pinged", "[channel_command]") {
  const auto help = help_text();
  for (const auto* form : {"`/microalign digest daily 09:30` — ",
                           "`/microalign digest weekdays 17:00` — ",
                           "`/microalign digest weekly mon 09:00` — ",
                           "`/microalign digest daily 09:30 thread` — ",
                           "`/microalign digest now` — ", "`/microalign digest off` — ",
                           "`/microalign tz Europe/Berlin` — ", "`/microalign quiet 3d` — ",
                           "`/microalign settings` — ", "`/microalign ticket ENG-42` — ",
                           "`/microalign help` — "}) {
    INFO(form);
    CHECK(help.find(form) != std::string::npos);
  }
  CHECK(help.find("without pinging them") != std::string::npos);
  CHECK(help.find("9am") != std::string::npos);
}

}  // namespace
}  // namespace microalign::channel_command
