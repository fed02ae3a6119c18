// Reading `/microalign …`: a keyword, then its arguments, as words separated by any whitespace.
// Keywords are read in any case. When something cannot be read, the reply names the part that
// was wrong and shows the right form, so a typo costs one retry rather than a trip to the docs.
#include "microalign/core/channel_command.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <vector>

#include "microalign/core/parse.hpp"
#include "microalign/core/text.hpp"

namespace microalign::channel_command {
namespace {

using Cadence = DigestSchedule::Cadence;

// ---- The forms, as help and error messages show them -------------------------------------------

constexpr std::string_view daily_form = "digest daily 09:30";
constexpr std::string_view weekdays_form = "digest weekdays 17:00";
constexpr std::string_view weekly_form = "digest weekly mon 09:00";
constexpr std::string_view quiet_form = "quiet 3d";
constexpr std::string_view time_zone_form = "tz Europe/Berlin";
constexpr std::string_view ticket_form = "ticket ENG-42";

struct Form {
  std::string_view text;
  std::string_view explanation;
};

constexpr auto forms = std::to_array<Form>({
    {daily_form, "post a digest every day at 09:30 in the channel's time zone"},
    {weekdays_form, "post one Monday to Friday at 17:00"},
    {weekly_form, "post one a week, on Mondays at 09:00 (mon or monday, tue, …)"},
    {"digest daily 09:30 thread",
     "add `thread` to any schedule to post a short summary with the details in its thread"},
    {"digest now", "post a digest right away"},
    {"digest off", "stop the scheduled digest"},
    {time_zone_form,
     "set the channel's time zone (an IANA name); digests keep their local time through "
     "daylight saving changes"},
    {quiet_form,
     "count a ticket as quiet after 3 working days without an update (1–30; weekends don't "
     "count)"},
    {"settings", "show this channel's digest schedule, time zone and quiet threshold"},
    {ticket_form, "show a ticket's state and latest updates (GitHub: `owner/repo#12`)"},
    {"help", "show this list"},
});

std::string command(std::string_view form) { return "`/microalign " + std::string(form) + "`"; }

// ---- Text ---------------------------------------------------------------------------------------

// What the user typed, in quotes, cut short so a long paste cannot make the reply too long to
// post. The cut never splits a UTF-8 character.
std::string quoted(std::string_view typed) {
  constexpr std::size_t longest = 40;
  if (typed.size() <= longest) return "\"" + std::string(typed) + "\"";
  auto cut = longest;
  while (cut > 0 && (static_cast<unsigned char>(typed[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(typed.substr(0, cut)) + "…\"";
}

// A whole number written in digits only ("07", not "+7" or "7.5").
std::optional<int> whole_number(std::string_view digits) {
  if (digits.empty() || !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{}) return std::nullopt;
  return value;
}

// The command's words, read left to right.
class Words {
 public:
  explicit Words(std::string_view text) {
    constexpr std::string_view space = " \t\r\n\f\v";
    for (auto begin = text.find_first_not_of(space); begin != std::string_view::npos;
         begin = text.find_first_not_of(space, begin)) {
      const auto end = std::min(text.find_first_of(space, begin), text.size());
      words_.push_back(text.substr(begin, end - begin));
      begin = end;
    }
  }

  bool empty() const { return next_ == words_.size(); }

  // The next word, or "" when there is none.
  std::string_view take() { return empty() ? std::string_view{} : words_[next_++]; }

  // Takes the next word when it is `keyword` (lower case) written in any case.
  bool take_keyword(std::string_view keyword) {
    if (empty() || lower_case(words_[next_]) != keyword) return false;
    ++next_;
    return true;
  }

  // The words not read yet, one space apart; reads them all.
  std::string take_rest() {
    std::string rest;
    for (; !empty(); ++next_) rest += (rest.empty() ? "" : " ") + std::string(words_[next_]);
    return rest;
  }

 private:
  std::vector<std::string_view> words_;
  std::size_t next_ = 0;
};

Parsed nothing_after(Words& words, std::string_view form, Parsed understood) {
  if (words.empty()) return understood;
  return Invalid{command(form) + " takes nothing after it, and I didn't understand " +
                 quoted(words.take_rest()) + "."};
}

// ---- digest -------------------------------------------------------------------------------------

// "17:00", "9:30", "17h"; "9am", "5pm", "5:30pm", "12am" (midnight).
struct Clock {
  int hour = 0;
  int minute = 0;
  bool has_minutes = false;
};

// "9", "09", "9:30", "09:30": one or two digits of hour, then maybe ':' and two of minutes.
std::optional<Clock> read_clock(std::string_view text) {
  const auto colon = text.find(':');
  const auto hour_digits = text.substr(0, colon);
  const auto hour = hour_digits.size() <= 2 ? whole_number(hour_digits) : std::nullopt;
  if (!hour) return std::nullopt;
  if (colon == std::string_view::npos) return Clock{*hour, 0, false};
  const auto minute_digits = text.substr(colon + 1);
  const auto minute = minute_digits.size() == 2 ? whole_number(minute_digits) : std::nullopt;
  if (!minute || *minute > 59) return std::nullopt;
  return Clock{*hour, *minute, true};
}

std::chrono::minutes minutes_into_day(int hour, int minute) {
  return std::chrono::hours(hour) + std::chrono::minutes(minute);
}

std::optional<std::chrono::minutes> twelve_hour_time(std::string_view clock_text, bool pm) {
  const auto clock = read_clock(clock_text);
  if (!clock || clock->hour < 1 || clock->hour > 12) return std::nullopt;
  return minutes_into_day(clock->hour % 12 + (pm ? 12 : 0), clock->minute);
}

// 24-hour time needs its minutes ("9:30"), unless an 'h' says the number is hours ("17h"): a
// bare "9" could be either half of the day.
std::optional<std::chrono::minutes> time_of_day(std::string_view text) {
  const auto lowered = lower_case(text);
  std::string_view clock_text = lowered;
  if (clock_text.ends_with("am") || clock_text.ends_with("pm")) {
    const bool pm = clock_text.ends_with("pm");
    clock_text.remove_suffix(2);
    return twelve_hour_time(clock_text, pm);
  }
  const bool hours_mark = clock_text.ends_with('h');
  if (hours_mark) clock_text.remove_suffix(1);
  const auto clock = read_clock(clock_text);
  if (!clock || clock->hour > 23 || clock->has_minutes == hours_mark) return std::nullopt;
  return minutes_into_day(clock->hour, clock->minute);
}

// The time as typed: one word, or two when "am"/"pm" stands apart ("9 am").
std::string take_time(Words& words) {
  std::string time(words.take());
  if (words.take_keyword("am")) return time + "am";
  if (words.take_keyword("pm")) return time + "pm";
  return time;
}

// "mon", "monday", and any start of a day's name from three letters on ("tues", "thurs").
std::optional<std::chrono::weekday> weekday_named(std::string_view word) {
  const auto name = lower_case(word);
  if (name.size() < 3) return std::nullopt;
  for (unsigned day = 0; day < 7; ++day) {
    if (weekday_name(std::chrono::weekday{day}).starts_with(name)) return std::chrono::weekday{day};
  }
  return std::nullopt;
}

struct CadenceForm {
  std::string_view name;
  Cadence cadence;
  std::string_view example;
};

constexpr auto cadences = std::to_array<CadenceForm>({
    {"daily", Cadence::daily, daily_form},
    {"weekdays", Cadence::weekdays, weekdays_form},
    {"weekly", Cadence::weekly, weekly_form},
});

std::string digest_forms() {
  return command(daily_form) + ", " + command(weekdays_form) + " or " + command(weekly_form) +
         " (add `thread` to put the details in a thread), " + command("digest now") + " or " +
         command("digest off");
}

Parsed read_schedule(const CadenceForm& form, Words& words) {
  DigestSchedule schedule;
  schedule.cadence = form.cadence;
  const auto example = command(form.example);
  if (form.cadence == Cadence::weekly) {
    if (words.empty()) return Invalid{"Say which day and time, e.g. " + example + "."};
    const auto day_word = words.take();
    const auto day = weekday_named(day_word);
    if (!day) {
      return Invalid{"I couldn't read the day " + quoted(day_word) +
                     " — name it before the time, like mon or monday, e.g. " + example + "."};
    }
    schedule.day = *day;
  }
  words.take_keyword("at");
  if (words.empty()) return Invalid{"Say what time the digest should post, e.g. " + example + "."};
  const auto time_text = take_time(words);
  const auto time = time_of_day(time_text);
  if (!time) {
    return Invalid{"I couldn't read the time " + quoted(time_text) +
                   " — use 24-hour HH:MM, e.g. " + example + "."};
  }
  schedule.time_of_day = *time;
  schedule.threaded = words.take_keyword("thread");
  if (!words.empty()) {
    return Invalid{"I didn't understand " + quoted(words.take_rest()) +
                   " after the time: only `thread` can follow it, e.g. " +
                   command(std::string(form.example) + " thread") + "."};
  }
  return SetDigest{schedule};
}

Parsed read_digest(Words& words) {
  if (words.empty()) return Invalid{"Say when to post the digest: " + digest_forms() + "."};
  const auto cadence_word = words.take();
  const auto cadence = lower_case(cadence_word);
  if (cadence == "off") return nothing_after(words, "digest off", DigestOff{});
  if (cadence == "now") return nothing_after(words, "digest now", DigestNow{});
  const auto form = std::ranges::find(cadences, cadence, &CadenceForm::name);
  if (form == cadences.end()) {
    return Invalid{"I don't know the digest schedule " + quoted(cadence_word) +
                   ". Use daily, weekdays or weekly: " + digest_forms() + "."};
  }
  return read_schedule(*form, words);
}

// ---- tz, quiet, ticket --------------------------------------------------------------------------

Parsed read_time_zone(Words& words) {
  if (words.empty()) {
    return Invalid{"Which time zone? Give its IANA name, e.g. " + command(time_zone_form) + "."};
  }
  const auto zone = words.take_rest();
  if (!is_known_time_zone(zone)) {
    return Invalid{"I don't know the time zone " + quoted(zone) +
                   ". Use an IANA name, spelled exactly (capitals too), such as Europe/Berlin, "
                   "America/New_York or Asia/Kolkata, e.g. " + command(time_zone_form) + "."};
  }
  return SetTimeZone{zone};
}

// "3", "3d", "3 days", "3 working days".
Parsed read_quiet_threshold(Words& words) {
  const auto example = command(quiet_form);
  if (words.empty()) {
    return Invalid{"After how many working days without an update should a ticket count as "
                   "quiet? e.g. " + example + " (1–30)."};
  }
  const auto amount = words.take_rest();
  const auto digits_end = std::min(amount.find_first_not_of("0123456789"), amount.size());
  auto unit = lower_case(amount.substr(digits_end));
  if (unit.starts_with(' ')) unit.erase(0, 1);
  constexpr auto units =
      std::to_array<std::string_view>({"", "d", "day", "days", "working day", "working days"});
  const auto count = whole_number(std::string_view(amount).substr(0, digits_end));
  if (!count || std::ranges::find(units, unit) == units.end()) {
    return Invalid{"I couldn't read " + quoted(amount) + " as a number of working days, e.g. " +
                   example + "."};
  }
  if (*count < 1 || *count > 30) {
    return Invalid{"The quiet threshold is 1 to 30 working days, not " + std::to_string(*count) +
                   ", e.g. " + example + "."};
  }
  return SetQuietThreshold{*count};
}

// Read by the update parser's ticket finder, so a key means the same here as in an update. It
// only takes projects in upper case ("ENG-42"); GitHub references come back in lower case.
Parsed read_ticket(Words& words) {
  if (words.empty()) {
    return Invalid{"Which ticket? e.g. " + command(ticket_form) + " or " +
                   command("ticket owner/repo#12") + "."};
  }
  const auto typed = words.take_rest();
  const auto keys = find_tickets(upper_case(typed), {}, {});
  if (keys.size() != 1 || keys.front().size() != typed.size()) {
    return Invalid{"I couldn't read the ticket " + quoted(typed) +
                   ". Use a key like ENG-42 or a GitHub reference like owner/repo#12, e.g. " +
                   command(ticket_form) + "."};
  }
  return ShowTicket{keys.front()};
}

Invalid unknown_command(std::string_view word) {
  std::string message = "I don't know " + quoted(word) + ". I understand:";
  for (const auto& form : forms) message += "\n• " + command(form.text);
  return Invalid{message + "\n" + command("help") + " says what each one does."};
}

}  // namespace

Parsed parse(std::string_view text) {
  Words words(text);
  if (words.empty()) return Help{};
  const auto keyword_word = words.take();
  const auto keyword = lower_case(keyword_word);
  if (keyword == "help") return Help{};
  if (keyword == "digest") return read_digest(words);
  if (keyword == "tz") return read_time_zone(words);
  if (keyword == "quiet") return read_quiet_threshold(words);
  if (keyword == "settings") return nothing_after(words, "settings", ShowSettings{});
  if (keyword == "ticket") return read_ticket(words);
  return unknown_command(keyword_word);
}

std::string help_text() {
  std::string text = "*microalign* keeps this channel aligned without meetings: post updates "
                     "with `/heads-up` and `/status`, and a digest sums them up. Digests name "
                     "people without pinging them.";
  for (const auto& form : forms) {
    text += "\n• " + command(form.text) + " — " + std::string(form.explanation);
  }
  return text + "\nTimes are 24-hour HH:MM; 9:30, 9am and 5:30pm work too.";
}

}  // namespace microalign::channel_command
