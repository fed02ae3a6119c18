// Private notes to people about things that went wrong on the bot's side: specific, polite, and
// saying what to do about it.
#pragma once

#include <string>

#include "microalign/core/message.hpp"
#include "microalign/core/spelling.hpp"

namespace microalign {

// To an author whose update could not be stored: nothing was recorded, try again.
Message render_not_saved();
// To someone whose setting or answer could not be stored: nothing changed, try again.
Message render_nothing_changed();
// A plain private answer: why a command was refused, or what a setting now is.
Message render_refusal(const std::string& why);
// To an author in a channel the bot is not in: their update went through the command instead.
Message render_invite_hint(const CommandSpelling&);

// To whoever configured a channel, when a message for it could not be posted at all: the
// platform's reason, and how to add the bot or turn the digest off.
Message render_cannot_post(const std::string& channel, const std::string& error, const CommandSpelling&);

}  // namespace microalign
