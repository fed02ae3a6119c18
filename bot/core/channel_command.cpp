// Reading `/microalign …`: a keyword, then its arguments, as words separated by any whitespace.
// Keywords are read in any case. When something cannot be read, the reply names the part that
// was wrong and shows the right form, so a typo costs one retry rather than a trip to the docs.
#include "microalign/core/channel_command.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <vector>

#include "microalign/core/decision.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/spelling.hpp"
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
constexpr std::string_view done_form = "done ENG-42";
constexpr std::string_view snooze_form = "snooze ENG-42 3d";
constexpr std::string_view owner_form = "owner ENG-42 @bob";
constexpr std::string_view away_until_form = "away until 2026-12-02";
constexpr std::string_view away_days_form = "away 3d";
constexpr std::string_view holiday_form = "holiday 2026-12-24 2026-12-26";
constexpr std::string_view decisions_days_form = "decisions 7d";
constexpr std::string_view decisions_since_form = "decisions since 2026-11-01";

constexpr int longest_snooze = 30;  // days
constexpr int longest_away = 60;    // days; a later date can still be given with `away until`
constexpr int longest_holiday = 31;
constexpr int longest_decision_listing = 365;  // days

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
    {"tickets", "list this channel's open tickets and their owners"},
    {done_form, "mark a ticket done; nobody is nudged about a done ticket"},
    {decisions_days_form,
     "list this channel's decisions of the last 7 days, privately (`decisions` alone: the last 30 days)"},
    {decisions_since_form, "list this channel's decisions since 1 November 2026"},
    {snooze_form, "no nudges about a ticket for 3 days (1–30; `2 days` and `1w` work too)"},
    {owner_form,
     "make @bob the ticket's owner, the one nudged when it goes quiet (pick them as you type @)"},
    {away_until_form, "no nudges to you through 2 December 2026, your last day away"},
    {away_days_form, "no nudges to you for 3 days (1–60; `3 days` and `1w` work too)"},
    {"back", "you're back: nudges to you start again"},
    {holiday_form,
     "24 to 26 December are holidays in this channel and don't count as working days (one date "
     "for a single day; up to 31 days)"},
    {"nudges off", "stop nudging you about your quiet tickets"},
    {"nudges on", "nudge you again"},
    {"help", "show this list"},
});

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

// The command's words, read left to right. A person named in the text (a user span: picked from
// the platform's @-autocomplete) is one word of its own that knows who it names.
class Words {
 public:
  Words(const RichText& text, const CommandSpelling& spelling) : spelling_(spelling) {
    constexpr std::string_view space = " \t\r\n\f\v";
    for (const auto& span : text) {
      if (!span.user.empty()) {
        words_.push_back({span.text, span.user});
        continue;
      }
      const std::string_view t = span.text;
      for (auto begin = t.find_first_not_of(space); begin != std::string_view::npos;
           begin = t.find_first_not_of(space, begin)) {
        const auto end = std::min(t.find_first_of(space, begin), t.size());
        words_.push_back({std::string(t.substr(begin, end - begin)), {}});
        begin = end;
      }
    }
  }

  bool empty() const { return next_ == words_.size(); }

  // How commands are typed where these words were: for the answers that show the right form.
  const CommandSpelling& spelling() const { return spelling_; }

  // The next word, or "" when there is none.
  std::string_view take() { return empty() ? std::string_view{} : std::string_view(words_[next_++].text); }

  // Takes the next word when it is `keyword` (lower case) written in any case.
  bool take_keyword(std::string_view keyword) {
    if (empty() || lower_case(words_[next_].text) != keyword) return false;
    ++next_;
    return true;
  }

  // The user id of the person the rest of the words name, when they are exactly one person.
  std::optional<std::string> rest_as_person() const {
    if (words_.size() - next_ != 1 || words_[next_].user.empty()) return std::nullopt;
    return words_[next_].user;
  }

  // The words not read yet, one space apart; reads them all.
  std::string take_rest() {
    std::string rest;
    for (; !empty(); ++next_) rest += (rest.empty() ? "" : " ") + words_[next_].text;
    return rest;
  }

 private:
  struct Word {
    std::string text;
    std::string user;  // the person it names, if it is one
  };
  const CommandSpelling& spelling_;
  std::vector<Word> words_;
  std::size_t next_ = 0;
};

Parsed nothing_after(Words& words, std::string_view form, Parsed understood) {
  const auto& spelling = words.spelling();
  if (words.empty()) return understood;
  return Invalid{spelling.code(form) + " takes nothing after it, and I didn't understand " + quoted(words.take_rest()) +
                 "."};
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

std::string digest_forms(const CommandSpelling& spelling) {
  return spelling.code(daily_form) + ", " + spelling.code(weekdays_form) + " or " + spelling.code(weekly_form) +
         " (add `thread` to put the details in a thread), " + spelling.code("digest now") + " or " +
         spelling.code("digest off");
}

Parsed read_schedule(const CadenceForm& form, Words& words) {
  const auto& spelling = words.spelling();
  DigestSchedule schedule;
  schedule.cadence = form.cadence;
  const auto example = spelling.code(form.example);
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
                   spelling.code(std::string(form.example) + " thread") + "."};
  }
  return SetDigest{schedule};
}

Parsed read_digest(Words& words) {
  const auto& spelling = words.spelling();
  if (words.empty()) return Invalid{"Say when to post the digest: " + digest_forms(spelling) + "."};
  const auto cadence_word = words.take();
  const auto cadence = lower_case(cadence_word);
  if (cadence == "off") return nothing_after(words, "digest off", DigestOff{});
  if (cadence == "now") return nothing_after(words, "digest now", DigestNow{});
  const auto form = std::ranges::find(cadences, cadence, &CadenceForm::name);
  if (form == cadences.end()) {
    return Invalid{"I don't know the digest schedule " + quoted(cadence_word) +
                   ". Use daily, weekdays or weekly: " + digest_forms(spelling) + "."};
  }
  return read_schedule(*form, words);
}

// ---- tz, quiet, ticket --------------------------------------------------------------------------

Parsed read_time_zone(Words& words) {
  const auto& spelling = words.spelling();
  if (words.empty()) {
    return Invalid{"Which time zone? Give its IANA name, e.g. " + spelling.code(time_zone_form) + "."};
  }
  const auto zone = words.take_rest();
  if (!is_known_time_zone(zone)) {
    return Invalid{"I don't know the time zone " + quoted(zone) +
                   ". Use an IANA name, spelled exactly (capitals too), such as Europe/Berlin, "
                   "America/New_York or Asia/Kolkata, e.g. " +
                   spelling.code(time_zone_form) + "."};
  }
  return SetTimeZone{zone};
}

// A number, then maybe a space, then a unit in lower case: "3d" and "3 days" give 3 and "d" or
// "days"; "3" gives 3 and "". No count when the digits are missing or too many.
struct Amount {
  std::optional<int> count;
  std::string unit;
};

Amount read_amount(std::string_view typed) {
  const auto digits_end = std::min(typed.find_first_not_of("0123456789"), typed.size());
  auto unit = lower_case(typed.substr(digits_end));
  if (unit.starts_with(' ')) unit.erase(0, 1);
  return {whole_number(typed.substr(0, digits_end)), unit};
}

// "3", "3d", "3 days", "1w", "2 weeks", as calendar days; nullopt when it is not that shape.
// Wide enough that a big count of weeks cannot overflow.
std::optional<long long> calendar_days(std::string_view typed) {
  const auto [count, unit] = read_amount(typed);
  if (!count) return std::nullopt;
  constexpr auto day_units = std::to_array<std::string_view>({"", "d", "day", "days"});
  constexpr auto week_units = std::to_array<std::string_view>({"w", "week", "weeks"});
  if (std::ranges::find(day_units, unit) != day_units.end()) return *count;
  if (std::ranges::find(week_units, unit) != week_units.end()) return *count * 7LL;
  return std::nullopt;
}

// "2026-12-02": four digits of year, then a month and a day of one or two digits each. Only the
// shape is checked: the date may not exist (check ok()).
std::optional<std::chrono::year_month_day> iso_date(std::string_view text) {
  const auto first = text.find('-');
  if (first != 4) return std::nullopt;
  const auto second = text.find('-', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto month_digits = text.substr(first + 1, second - first - 1);
  const auto day_digits = text.substr(second + 1);
  const auto year = whole_number(text.substr(0, first));
  const auto month = month_digits.size() <= 2 ? whole_number(month_digits) : std::nullopt;
  const auto day = day_digits.size() <= 2 ? whole_number(day_digits) : std::nullopt;
  if (!year || !month || !day) return std::nullopt;
  return std::chrono::year_month_day{std::chrono::year{*year},
                                     std::chrono::month{static_cast<unsigned>(*month)},
                                     std::chrono::day{static_cast<unsigned>(*day)}};
}

// The date typed, or why it is not one, showing `form`.
std::variant<std::chrono::year_month_day, Invalid> read_date(std::string_view typed, std::string_view form,
                                                             const CommandSpelling& spelling) {
  const auto date = iso_date(typed);
  if (!date) {
    return Invalid{"I couldn't read the date " + quoted(typed) + " — use YYYY-MM-DD, e.g. " + spelling.code(form) +
                   "."};
  }
  if (!date->ok()) {
    return Invalid{"There is no " + quoted(typed) + " on the calendar — use YYYY-MM-DD, e.g. " + spelling.code(form) +
                   "."};
  }
  return *date;
}

// "3", "3d", "3 days", "3 working days".
Parsed read_quiet_threshold(Words& words) {
  const auto& spelling = words.spelling();
  const auto example = spelling.code(quiet_form);
  if (words.empty()) {
    return Invalid{"After how many working days without an update should a ticket count as "
                   "quiet? e.g. " + example + " (1–30)."};
  }
  const auto amount = words.take_rest();
  const auto [count, unit] = read_amount(amount);
  constexpr auto units =
      std::to_array<std::string_view>({"", "d", "day", "days", "working day", "working days"});
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
// nullopt unless `typed` is exactly one key.
std::optional<std::string> ticket_key(std::string_view typed) {
  const auto keys = find_tickets(upper_case(typed), {}, {});
  if (keys.size() != 1 || keys.front().size() != typed.size()) return std::nullopt;
  return keys.front();
}

Invalid unreadable_ticket(std::string_view typed, std::string_view form, const CommandSpelling& spelling) {
  return Invalid{"I couldn't read the ticket " + quoted(typed) +
                 ". Use a key like ENG-42 or a GitHub reference like owner/repo#12, e.g. " + spelling.code(form) + "."};
}

Parsed read_ticket(Words& words) {
  const auto& spelling = words.spelling();
  if (words.empty()) {
    return Invalid{"Which ticket? e.g. " + spelling.code(ticket_form) + " or " + spelling.code("ticket owner/repo#12") +
                   "."};
  }
  const auto typed = words.take_rest();
  const auto key = ticket_key(typed);
  if (!key) return unreadable_ticket(typed, ticket_form, spelling);
  return ShowTicket{*key};
}

// ---- decisions ----------------------------------------------------------------------------------

Parsed read_decisions(Words& words) {
  const auto& spelling = words.spelling();
  if (words.empty()) return ListDecisions{};
  const auto forms_text = spelling.code(decisions_days_form) + " or " + spelling.code(decisions_since_form);
  if (words.take_keyword("since")) {
    if (words.empty()) return Invalid{"Since which date? e.g. " + spelling.code(decisions_since_form) + "."};
    auto date = read_date(words.take_rest(), decisions_since_form, spelling);
    if (const auto* invalid = std::get_if<Invalid>(&date)) return *invalid;
    return ListDecisions{std::get<std::chrono::year_month_day>(date)};
  }
  const auto typed = words.take_rest();
  const auto days = calendar_days(typed);
  if (!days) return Invalid{"I couldn't read " + quoted(typed) + " as a number of days, e.g. " + forms_text + "."};
  if (*days < 1 || *days > longest_decision_listing) {
    return Invalid{"I list 1 to 365 days of decisions, not " + std::to_string(*days) + ", e.g. " + forms_text + "."};
  }
  return ListDecisions{static_cast<int>(*days)};
}

// ---- done, snooze, owner ------------------------------------------------------------------------

Parsed read_done(Words& words) {
  const auto& spelling = words.spelling();
  if (words.empty()) return Invalid{"Which ticket is done? e.g. " + spelling.code(done_form) + "."};
  const auto typed = words.take_rest();
  const auto key = ticket_key(typed);
  if (!key) return unreadable_ticket(typed, done_form, spelling);
  return MarkDone{*key};
}

Parsed read_snooze(Words& words) {
  const auto& spelling = words.spelling();
  if (words.empty()) {
    return Invalid{"Which ticket, and for how long? e.g. " + spelling.code(snooze_form) + " (1–30 days)."};
  }
  const auto typed_key = words.take();
  const auto key = ticket_key(typed_key);
  if (!key) return unreadable_ticket(typed_key, snooze_form, spelling);
  const auto example = spelling.code("snooze " + *key + " 3d");
  if (words.empty()) {
    return Invalid{"For how long should nobody be nudged about " + *key + "? e.g. " + example +
                   " (1–30 days)."};
  }
  const auto amount = words.take_rest();
  const auto days = calendar_days(amount);
  if (!days) {
    return Invalid{"I couldn't read " + quoted(amount) +
                   " as a number of days, like 3d, 2 days or 1w, e.g. " + example + "."};
  }
  if (*days < 1 || *days > longest_snooze) {
    return Invalid{"A snooze lasts 1 to 30 days, not " + std::to_string(*days) + ", e.g. " +
                   example + "."};
  }
  return Snooze{*key, static_cast<int>(*days)};
}

Parsed read_owner(Words& words) {
  const auto& spelling = words.spelling();
  if (words.empty()) {
    return Invalid{"Which ticket, and who owns it? e.g. " + spelling.code(owner_form) + "."};
  }
  const auto typed_key = words.take();
  const auto key = ticket_key(typed_key);
  if (!key) return unreadable_ticket(typed_key, owner_form, spelling);
  const auto example = spelling.code("owner " + *key + " @bob");
  const auto how = "the person as you type @ and their name, so it turns into a mention, e.g. " + example + ".";
  if (words.empty()) return Invalid{"Who owns " + *key + "? Pick " + how};
  if (const auto user = words.rest_as_person()) return SetOwner{*key, *user};
  const auto person = words.take_rest();  // a display name may have spaces in it
  if (person.starts_with('@')) {
    return Invalid{"I can't tell who " + quoted(person) + " is: pick " + how};
  }
  return Invalid{"I couldn't read " + quoted(person) + " as one person: pick " + how};
}

// ---- away, holiday, nudges ----------------------------------------------------------------------

Parsed read_away(Words& words) {
  const auto& spelling = words.spelling();
  const auto forms_text = spelling.code(away_until_form) + " or " + spelling.code(away_days_form);
  if (words.empty()) return Invalid{"Until when? e.g. " + forms_text + " (up to 60 days)."};
  const bool until = words.take_keyword("until");
  if (!until) words.take_keyword("for");
  if (words.empty()) {
    return Invalid{until ? "Until which date? e.g. " + spelling.code(away_until_form) + "."
                         : "For how long? e.g. " + spelling.code(away_days_form) + " (up to 60 days)."};
  }
  const auto typed = words.take_rest();
  if (until || iso_date(typed)) {
    auto date = read_date(typed, away_until_form, spelling);
    if (const auto* invalid = std::get_if<Invalid>(&date)) return *invalid;
    return Away{std::get<std::chrono::year_month_day>(date)};
  }
  const auto days = calendar_days(typed);
  if (!days) {
    return Invalid{"I couldn't read " + quoted(typed) +
                   " as a date or a number of days, e.g. " + forms_text + "."};
  }
  if (*days < 1 || *days > longest_away) {
    return Invalid{"You can be away for 1 to 60 days, not " + std::to_string(*days) + ", e.g. " +
                   spelling.code(away_days_form) +
                   "; for longer, give your last day "
                   "away: " +
                   spelling.code(away_until_form) + "."};
  }
  return Away{static_cast<int>(*days)};
}

Parsed read_holiday(Words& words) {
  const auto& spelling = words.spelling();
  const auto example = spelling.code(holiday_form);
  if (words.empty()) {
    return Invalid{"Which days? Give the first and the last, e.g. " + example +
                   ", or one date for a single day."};
  }
  const auto from_typed = words.take();
  const auto from = read_date(from_typed, holiday_form, spelling);
  if (const auto* invalid = std::get_if<Invalid>(&from)) return *invalid;
  auto to = from;
  auto to_typed = from_typed;
  if (words.take_keyword("to") && words.empty()) {
    return Invalid{"Until which day? e.g. " + example + "."};
  }
  if (!words.empty()) {
    to_typed = words.take();
    to = read_date(to_typed, holiday_form, spelling);
    if (const auto* invalid = std::get_if<Invalid>(&to)) return *invalid;
  }
  if (!words.empty()) {
    return Invalid{"I didn't understand " + quoted(words.take_rest()) +
                   " after the dates: give the first day and the last, e.g. " + example + "."};
  }
  const auto first = std::get<std::chrono::year_month_day>(from);
  const auto last = std::get<std::chrono::year_month_day>(to);
  const auto days = (std::chrono::sys_days{last} - std::chrono::sys_days{first}).count() + 1;
  if (days < 1) {
    return Invalid{quoted(to_typed) + " comes before " + quoted(from_typed) +
                   ": give the first day, then the last, e.g. " + example + "."};
  }
  if (days > longest_holiday) {
    return Invalid{"A holiday is at most 31 days, and " + quoted(from_typed) + " to " +
                   quoted(to_typed) + " is " + std::to_string(days) +
                   ". Mark a longer break in parts, e.g. " + example + "."};
  }
  return Holiday{first, last};
}

Parsed read_nudges(Words& words) {
  const auto& spelling = words.spelling();
  const auto forms_text = spelling.code("nudges off") + " or " + spelling.code("nudges on");
  if (words.empty()) return Invalid{"Say whether you want nudges: " + forms_text + "."};
  const auto typed = words.take();
  const auto setting = lower_case(typed);
  if (setting == "on") return nothing_after(words, "nudges on", SetNudges{true});
  if (setting == "off") return nothing_after(words, "nudges off", SetNudges{false});
  return Invalid{"I didn't understand " + quoted(typed) + ": say " + forms_text + "."};
}

Invalid unknown_command(std::string_view word, const CommandSpelling& spelling) {
  std::string message = "I don't know " + quoted(word) + ". I understand:";
  for (const auto& form : forms) message += "\n• " + spelling.code(form.text);
  return Invalid{message + "\n" + spelling.code("help") + " says what each one does."};
}

// Every command, by its keyword.
struct Keyword {
  std::string_view word;
  Parsed (*read)(Words&);
};
constexpr auto keywords = std::to_array<Keyword>({
    {"help", [](Words&) -> Parsed { return Help{}; }},
    {"digest", read_digest},
    {"tz", read_time_zone},
    {"quiet", read_quiet_threshold},
    {"settings", [](Words& words) { return nothing_after(words, "settings", ShowSettings{}); }},
    {"ticket", read_ticket},
    {"tickets", [](Words& words) { return nothing_after(words, "tickets", ListTickets{}); }},
    {"done", read_done},
    {"decisions", read_decisions},
    {"snooze", read_snooze},
    {"owner", read_owner},
    {"away", read_away},
    {"back", [](Words& words) { return nothing_after(words, "back", Back{}); }},
    {"holiday", read_holiday},
    {"nudges", read_nudges},
});

}  // namespace

bool is_keyword(std::string_view word) {
  return std::ranges::find(keywords, lower_case(word), &Keyword::word) != keywords.end();
}

Parsed parse(const RichText& text, const CommandSpelling& spelling) {
  Words words(text, spelling);
  if (words.empty()) return Help{};
  const auto keyword_word = words.take();
  const auto keyword = std::ranges::find(keywords, lower_case(keyword_word), &Keyword::word);
  if (keyword == keywords.end()) return unknown_command(keyword_word, spelling);
  return keyword->read(words);
}

Parsed parse(std::string_view text, const CommandSpelling& spelling) {
  return parse(RichText{plain(std::string(text))}, spelling);
}

std::string help_text(const CommandSpelling& spelling) {
  std::string text =
      "*microalign* keeps this channel aligned without meetings: post updates "
      "with " +
      spelling.code("heads-up") + " and " + spelling.code("status") + ", record decisions with " +
      decision_form(spelling) + ", and a digest sums them up. Digests name people without pinging them.";
  for (const auto& form : forms) {
    text += "\n• " + spelling.code(form.text) + " — " + std::string(form.explanation);
  }
  return text + "\nTimes are 24-hour HH:MM; 9:30, 9am and 5:30pm work too. Dates are YYYY-MM-DD.";
}

}  // namespace microalign::channel_command
