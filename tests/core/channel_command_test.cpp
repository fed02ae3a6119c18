// The `/microalign …` grammar as a table: what people type, and what it is read as. Results are
// shown as text ("digest weekly mon 09:00 thread", "tz Europe/Berlin", "invalid: …") so a
// failure prints both sides readably.
#include <catch2/catch.hpp>

#include <cstdio>

#include "microalign/core/channel_command.hpp"

namespace microalign::channel_command {
namespace {

const CommandSpelling slack = slash_commands();  // the forms the answers show are Slack's

std::string iso(std::chrono::year_month_day date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

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
  std::string operator()(const ListTickets&) const { return "tickets"; }
  std::string operator()(const ListDecisions& asked) const {
    if (const auto* days = std::get_if<int>(&asked.since_or_days)) return "decisions " + std::to_string(*days) + "d";
    return "decisions since " + iso(std::get<std::chrono::year_month_day>(asked.since_or_days));
  }
  std::string operator()(const MarkDone& done) const { return "done " + done.key; }
  std::string operator()(const Snooze& snooze) const {
    return "snooze " + snooze.key + " " + std::to_string(snooze.days) + "d";
  }
  std::string operator()(const SetOwner& owner) const {
    return "owner " + owner.key + " " + owner.user_id;
  }
  std::string operator()(const Away& away) const {
    if (const auto* days = std::get_if<int>(&away.until_or_days)) {
      return "away " + std::to_string(*days) + "d";
    }
    return "away until " + iso(std::get<std::chrono::year_month_day>(away.until_or_days));
  }
  std::string operator()(const Back&) const { return "back"; }
  std::string operator()(const Holiday& holiday) const {
    return "holiday " + iso(holiday.from) + " " + iso(holiday.to);
  }
  std::string operator()(const SetNudges& nudges) const {
    return nudges.on ? "nudges on" : "nudges off";
  }
  std::string operator()(const Help&) const { return "help"; }
  std::string operator()(const Invalid& invalid) const { return "invalid: " + invalid.message; }
};

std::string read(std::string_view text) { return std::visit(Shown{}, parse(text, slack)); }

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
  const auto parsed = parse(text, slack);
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
    const auto parsed = parse(std::string("digest ") + text, slack);
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
        "• `/microalign tickets`\n"
        "• `/microalign done ENG-42`\n"
        "• `/microalign decisions 7d`\n"
        "• `/microalign decisions since 2026-11-01`\n"
        "• `/microalign snooze ENG-42 3d`\n"
        "• `/microalign owner ENG-42 @bob`\n"
        "• `/microalign away until 2026-12-02`\n"
        "• `/microalign away 3d`\n"
        "• `/microalign back`\n"
        "• `/microalign holiday 2026-12-24 2026-12-26`\n"
        "• `/microalign nudges off`\n"
        "• `/microalign nudges on`\n"
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
  const auto help = help_text(slack);
  for (const auto* form : {"`/microalign digest daily 09:30` — ",
                           "`/microalign digest weekdays 17:00` — ",
                           "`/microalign digest weekly mon 09:00` — ",
                           "`/microalign digest daily 09:30 thread` — ",
                           "`/microalign digest now` — ",
                           "`/microalign digest off` — ",
                           "`/microalign tz Europe/Berlin` — ",
                           "`/microalign quiet 3d` — ",
                           "`/microalign settings` — ",
                           "`/microalign ticket ENG-42` — ",
                           "`/microalign tickets` — ",
                           "`/microalign done ENG-42` — ",
                           "`/microalign decisions 7d` — ",
                           "`/microalign decisions since 2026-11-01` — ",
                           "`/microalign snooze ENG-42 3d` — ",
                           "`/microalign owner ENG-42 @bob` — ",
                           "`/microalign away until 2026-12-02` — ",
                           "`/microalign away 3d` — ",
                           "`/microalign back` — ",
                           "`/microalign holiday 2026-12-24 2026-12-26` — ",
                           "`/microalign nudges off` — ",
                           "`/microalign nudges on` — ",
                           "`/microalign help` — "}) {
    INFO(form);
    CHECK(help.find(form) != std::string::npos);
  }
  CHECK(help.find("without pinging them") != std::string::npos);
  CHECK(help.find("9am") != std::string::npos);
  CHECK(help.find("YYYY-MM-DD") != std::string::npos);
}

// ---- Nudges (issue 4) ---------------------------------------------------------------------------

TEST_CASE("away: until a date, or for calendar days", "[channel_command]") {
  check_rows({
      {"away until 2026-12-02", "away until 2026-12-02"},
      {"away until 2026-2-9", "away until 2026-02-09"},
      {"away 2026-12-02", "away until 2026-12-02"},
      {"away until 2028-02-29", "away until 2028-02-29"},
      {"away 3d", "away 3d"},
      {"away 3", "away 3d"},
      {"away 3 days", "away 3d"},
      {"away 1 day", "away 1d"},
      {"away for 3 days", "away 3d"},
      {"away 1w", "away 7d"},
      {"away 2 weeks", "away 14d"},
      {"away 60d", "away 60d"},
      {"AWAY UNTIL 2026-12-02", "away until 2026-12-02"},
      {"  Away\t3D ", "away 3d"},
      {"away 1W", "away 7d"},
      {"away 3 Days", "away 3d"},
  });
}

TEST_CASE("back, tickets, nudges on and off", "[channel_command]") {
  check_rows({
      {"back", "back"},
      {"BACK", "back"},
      {" back \n", "back"},
      {"tickets", "tickets"},
      {"Tickets", "tickets"},
      {"nudges off", "nudges off"},
      {"nudges on", "nudges on"},
      {"NUDGES OFF", "nudges off"},
      {"Nudges  On ", "nudges on"},
  });
}

TEST_CASE("holidays: one day or an inclusive range of up to 31", "[channel_command]") {
  check_rows({
      {"holiday 2026-12-24 2026-12-26", "holiday 2026-12-24 2026-12-26"},
      {"holiday 2026-12-24", "holiday 2026-12-24 2026-12-24"},
      {"holiday 2026-12-24 to 2026-12-26", "holiday 2026-12-24 2026-12-26"},
      {"holiday 2026-12-24 2026-12-24", "holiday 2026-12-24 2026-12-24"},
      {"holiday 2026-12-20 2027-01-19", "holiday 2026-12-20 2027-01-19"},  // 31 days
      {"HOLIDAY 2026-12-24\t2026-12-26", "holiday 2026-12-24 2026-12-26"},
      {"holiday 2026-1-5 2026-1-6", "holiday 2026-01-05 2026-01-06"},
  });
}

TEST_CASE("done, snooze and owner read tickets like the ticket form", "[channel_command]") {
  check_rows({
      {"done ENG-42", "done ENG-42"},
      {"done eng-42", "done ENG-42"},
      {"DONE acme/web#12", "done acme/web#12"},
      {"snooze ENG-42 3d", "snooze ENG-42 3d"},
      {"snooze eng-42 2 days", "snooze ENG-42 2d"},
      {"snooze ENG-42 1 day", "snooze ENG-42 1d"},
      {"snooze ENG-42 1w", "snooze ENG-42 7d"},
      {"snooze ENG-42 30", "snooze ENG-42 30d"},
      {"Snooze  Acme/Web#12\t4D", "snooze acme/web#12 4d"},
  });
}

TEST_CASE("an owner is a person picked as a mention", "[channel_command]") {
  const auto owner = [](std::string typed, Span person) {
    return std::visit(Shown{}, parse(RichText{plain(std::move(typed)), std::move(person)}, slack));
  };
  CHECK(owner("owner ENG-42 ", user_ref("U123", "bob", false)) == "owner ENG-42 U123");
  CHECK(owner("owner eng-42 ", user_ref("W0AB12", "bob smith", false)) == "owner ENG-42 W0AB12");
  CHECK(owner("OWNER acme/web#12   ", user_ref("U123", "", false)) == "owner acme/web#12 U123");
}

TEST_CASE("away mistakes say what was wrong and show the right form", "[channel_command]") {
  CHECK(invalid_message("away") ==
        "Until when? e.g. `/microalign away until 2026-12-02` or `/microalign away 3d` (up to 60 "
        "days).");
  CHECK(invalid_message("away until") ==
        "Until which date? e.g. `/microalign away until 2026-12-02`.");
  CHECK(invalid_message("away for") == "For how long? e.g. `/microalign away 3d` (up to 60 days).");
  for (const auto* date : {"tomorrow", "12/02/2026", "2026-12", "26-12-02", "2026-012-02",
                           "2026-12-02x", "3d"}) {
    INFO(date);
    CHECK(invalid_message(std::string("away until ") + date) ==
          "I couldn't read the date \"" + std::string(date) +
              "\" — use YYYY-MM-DD, e.g. `/microalign away until 2026-12-02`.");
  }
  CHECK(invalid_message("away until 2026-02-30") ==
        "There is no \"2026-02-30\" on the calendar — use YYYY-MM-DD, e.g. "
        "`/microalign away until 2026-12-02`.");
  CHECK(invalid_message("away 2026-13-01").starts_with("There is no \"2026-13-01\""));
  for (const auto* amount : {"a while", "3 months", "1.5d", "-3", "3d please", "99999999999"}) {
    INFO(amount);
    CHECK(invalid_message(std::string("away ") + amount) ==
          "I couldn't read \"" + std::string(amount) +
              "\" as a date or a number of days, e.g. `/microalign away until 2026-12-02` or "
              "`/microalign away 3d`.");
  }
  CHECK(invalid_message("away 0d") ==
        "You can be away for 1 to 60 days, not 0, e.g. `/microalign away 3d`; for longer, give "
        "your last day away: `/microalign away until 2026-12-02`.");
  CHECK(invalid_message("away 61 days").starts_with("You can be away for 1 to 60 days, not 61,"));
  CHECK(invalid_message("away 9w").starts_with("You can be away for 1 to 60 days, not 63,"));
  CHECK(invalid_message("away 999999999w")
            .starts_with("You can be away for 1 to 60 days, not 6999999993,"));
}

TEST_CASE("holiday mistakes say what was wrong and show the right form", "[channel_command]") {
  CHECK(invalid_message("holiday") ==
        "Which days? Give the first and the last, e.g. `/microalign holiday 2026-12-24 "
        "2026-12-26`, or one date for a single day.");
  CHECK(invalid_message("holiday 24/12") ==
        "I couldn't read the date \"24/12\" — use YYYY-MM-DD, e.g. "
        "`/microalign holiday 2026-12-24 2026-12-26`.");
  CHECK(invalid_message("holiday 2026-12-24 boxing-day")
            .starts_with("I couldn't read the date \"boxing-day\""));
  CHECK(invalid_message("holiday 2026-02-29").starts_with("There is no \"2026-02-29\""));
  CHECK(invalid_message("holiday 2026-12-24 to") ==
        "Until which day? e.g. `/microalign holiday 2026-12-24 2026-12-26`.");
  CHECK(invalid_message("holiday 2026-12-26 2026-12-24") ==
        "\"2026-12-24\" comes before \"2026-12-26\": give the first day, then the last, e.g. "
        "`/microalign holiday 2026-12-24 2026-12-26`.");
  CHECK(invalid_message("holiday 2026-12-01 2027-01-01") ==
        "A holiday is at most 31 days, and \"2026-12-01\" to \"2027-01-01\" is 32. Mark a longer "
        "break in parts, e.g. `/microalign holiday 2026-12-24 2026-12-26`.");
  CHECK(invalid_message("holiday 2026-12-24 2026-12-26 christmas") ==
        "I didn't understand \"christmas\" after the dates: give the first day and the last, "
        "e.g. `/microalign holiday 2026-12-24 2026-12-26`.");
}

TEST_CASE("done and snooze mistakes", "[channel_command]") {
  CHECK(invalid_message("done") == "Which ticket is done? e.g. `/microalign done ENG-42`.");
  for (const auto* ticket : {"42", "ENG-42 OPS-7", "everything"}) {
    INFO(ticket);
    CHECK(invalid_message(std::string("done ") + ticket) ==
          "I couldn't read the ticket \"" + std::string(ticket) +
              "\". Use a key like ENG-42 or a GitHub reference like owner/repo#12, e.g. "
              "`/microalign done ENG-42`.");
  }

  CHECK(invalid_message("snooze") ==
        "Which ticket, and for how long? e.g. `/microalign snooze ENG-42 3d` (1–30 days).");
  CHECK(invalid_message("snooze 3d ENG-42") ==
        "I couldn't read the ticket \"3d\". Use a key like ENG-42 or a GitHub reference like "
        "owner/repo#12, e.g. `/microalign snooze ENG-42 3d`.");
  CHECK(invalid_message("snooze ops-7") ==
        "For how long should nobody be nudged about OPS-7? e.g. `/microalign snooze OPS-7 3d` "
        "(1–30 days).");
  for (const auto* amount : {"forever", "3 months", "2026-12-02", "1.5d", "3d please"}) {
    INFO(amount);
    CHECK(invalid_message(std::string("snooze ENG-42 ") + amount) ==
          "I couldn't read \"" + std::string(amount) +
              "\" as a number of days, like 3d, 2 days or 1w, e.g. "
              "`/microalign snooze ENG-42 3d`.");
  }
  CHECK(invalid_message("snooze ENG-42 0d") ==
        "A snooze lasts 1 to 30 days, not 0, e.g. `/microalign snooze ENG-42 3d`.");
  CHECK(invalid_message("snooze ENG-42 31 days")
            .starts_with("A snooze lasts 1 to 30 days, not 31,"));
  CHECK(invalid_message("snooze ENG-42 5w").starts_with("A snooze lasts 1 to 30 days, not 35,"));
}

TEST_CASE("an owner must be picked as a mention", "[channel_command]") {
  const auto invalid_owner = [](RichText typed) {
    const auto parsed = parse(typed, slack);
    REQUIRE(std::holds_alternative<Invalid>(parsed));
    return std::get<Invalid>(parsed).message;
  };
  const std::string how =
      "the person as you type @ and their name, so it turns into a mention, e.g. `/microalign owner ENG-42 @bob`.";
  CHECK(invalid_message("owner") ==
        "Which ticket, and who owns it? e.g. `/microalign owner ENG-42 @bob`.");
  CHECK(invalid_owner({plain("owner "), user_ref("U123", "bob", false), plain(" ENG-42")})
            .starts_with("I couldn't read the ticket \"@bob\". "));
  CHECK(invalid_message("owner eng-42") == "Who owns ENG-42? Pick " + how);
  CHECK(invalid_message("owner ENG-42 @bob") == "I can't tell who \"@bob\" is: pick " + how);
  CHECK(invalid_message("owner ENG-42 @bob smith").starts_with("I can't tell who \"@bob smith\""));
  for (const auto* person : {"bob", "<@U123|bob>", "<#C123|general>"}) {
    INFO(person);
    CHECK(invalid_message(std::string("owner ENG-42 ") + person) ==
          "I couldn't read \"" + std::string(person) + "\" as one person: pick " + how);
  }
  CHECK(invalid_owner({plain("owner ENG-42 "), user_ref("U123", "bob", false), plain(" "),
                       user_ref("U456", "al", false)}) == "I can't tell who \"@bob @al\" is: pick " + how);
  CHECK(invalid_owner({plain("owner ENG-42 "), user_ref("U123", "bob", false), plain(" please")}) ==
        "I can't tell who \"@bob please\" is: pick " + how);
}

TEST_CASE("back, tickets and nudges take nothing else", "[channel_command]") {
  CHECK(invalid_message("back tomorrow") ==
        "`/microalign back` takes nothing after it, and I didn't understand \"tomorrow\".");
  CHECK(invalid_message("tickets ENG-42") ==
        "`/microalign tickets` takes nothing after it, and I didn't understand \"ENG-42\".");
  CHECK(invalid_message("nudges") ==
        "Say whether you want nudges: `/microalign nudges off` or `/microalign nudges on`.");
  CHECK(invalid_message("nudges maybe") ==
        "I didn't understand \"maybe\": say `/microalign nudges off` or `/microalign nudges on`.");
  CHECK(invalid_message("nudges off please") ==
        "`/microalign nudges off` takes nothing after it, and I didn't understand \"please\".");
}

}  // namespace
}  // namespace microalign::channel_command
