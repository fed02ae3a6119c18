#include "sql_values.hpp"

#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace microalign::storage {

std::string_view to_sql(OutboxState state) {
  switch (state) {
    case OutboxState::pending:
      return "pending";
    case OutboxState::sent:
      return "sent";
    case OutboxState::failed:
      return "failed";
  }
  return "pending";
}

std::optional<OutboxState> outbox_state_from_sql(std::string_view name) {
  for (OutboxState s : {OutboxState::pending, OutboxState::sent, OutboxState::failed}) {
    if (to_sql(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view to_sql(DigestSchedule::Cadence cadence) {
  using Cadence = DigestSchedule::Cadence;
  switch (cadence) {
    case Cadence::off:
      return "off";
    case Cadence::daily:
      return "daily";
    case Cadence::weekdays:
      return "weekdays";
    case Cadence::weekly:
      return "weekly";
  }
  return "off";
}

std::optional<DigestSchedule::Cadence> cadence_from_sql(std::string_view name) {
  using Cadence = DigestSchedule::Cadence;
  for (Cadence c : {Cadence::off, Cadence::daily, Cadence::weekdays, Cadence::weekly}) {
    if (to_sql(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view to_sql(AnswerKind kind) { return kind == AnswerKind::reply ? "reply" : "reaction"; }

std::string date_to_sql(std::chrono::year_month_day d) {
  const int year = static_cast<int>(d.year());
  if (!d.ok() || year < 0 || year > 9999) throw std::invalid_argument("not a date between years 0 and 9999");
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return text;
}

std::optional<std::chrono::year_month_day> date_from_sql(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0;
  const auto number = [&](std::size_t at, std::size_t length, auto& value) {
    const char* first = text.data() + at;
    const auto [end, error] = std::from_chars(first, first + length, value);
    return error == std::errc{} && end == first + length;
  };
  const bool parsed = text.size() == 10 && text[4] == '-' && text[7] == '-' && number(0, 4, year) &&
                      number(5, 2, month) && number(8, 2, day);
  const std::chrono::year_month_day d{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!parsed || !d.ok()) return std::nullopt;
  return d;
}

}  // namespace microalign::storage
