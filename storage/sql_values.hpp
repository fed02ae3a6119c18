// How both engines spell the port's values in their tables, so that one database reads the same
// whichever engine wrote it: enum names (the schemas' CHECKs list them), calendar dates as
// 'YYYY-MM-DD' text (004_nudges.sql says why), and the port's "none" (0, "") as NULL.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/model.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/outbox.hpp"

namespace microalign::storage {

std::string_view to_sql(OutboxState);
std::optional<OutboxState> outbox_state_from_sql(std::string_view);
std::string_view to_sql(DigestSchedule::Cadence);
std::optional<DigestSchedule::Cadence> cadence_from_sql(std::string_view);
std::string_view to_sql(AnswerKind);

// Throws std::invalid_argument for a date outside years 0 to 9999 (or not a date).
std::string date_to_sql(std::chrono::year_month_day);
// nullopt when the text is not such a date.
std::optional<std::chrono::year_month_day> date_from_sql(const std::string&);

inline std::optional<std::int64_t> id_or_null(std::int64_t id) {
  if (id == 0) return std::nullopt;
  return id;
}

inline std::optional<std::string> text_or_null(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

inline std::optional<std::string> state_or_null(const std::optional<TicketState>& state) {
  if (!state) return std::nullopt;
  return std::string(to_string(*state));
}

}  // namespace microalign::storage
