// Core Messages as the tables keep them (the outbox, interactive messages): JSON text in
// microalign's own format (microalign/core/message_json.hpp), the same for every platform.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "microalign/core/message.hpp"
#include "microalign/core/message_json.hpp"

namespace microalign::storage {

inline std::string message_to_sql(const Message& message) {
  // What people wrote may not be valid UTF-8: it is kept with U+FFFD in place of the bad bytes
  // rather than refused, so the message still goes out.
  return to_json(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// nullopt when the text is not a message in this format (see message_from_json).
inline std::optional<Message> message_from_sql(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::nullopt;
  return message_from_json(json);
}

}  // namespace microalign::storage
