// Private notes to people about things that went wrong on the bot's side: specific, polite, and
// saying what to do about it.
#pragma once

#include <string>

#include "microalign/core/message.hpp"

namespace microalign {

// To whoever configured a channel, when a message for it could not be posted at all.
Message render_cannot_post(const std::string& channel, const std::string& error,
                           const std::string& bot_name);

}  // namespace microalign
