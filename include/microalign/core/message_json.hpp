// Messages as JSON, for what the bot keeps until it sends it or answers through it (the outbox,
// a nudge DM as it now reads): microalign's own format, the same for every platform, which each
// adapter renders when it sends. Span and button fields at their defaults are left out.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "microalign/core/message.hpp"

namespace microalign {

nlohmann::json to_json(const Message&);

// nullopt when `json` is not a message in this format (an unknown block or style, a field of the
// wrong type): a kept message is read back whole or not at all.
std::optional<Message> message_from_json(const nlohmann::json&);

}  // namespace microalign
