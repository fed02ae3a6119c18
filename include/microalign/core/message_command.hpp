// What a message written to the bot asks for, where there are no slash commands (Teams; the
// sandbox's @mentions): its first word picks the command — `heads-up` and `status` post an
// update of that kind, a `/microalign` keyword (digest, tz, ticket, away, help…) is that
// command — and any other text is an update, read as an @mention is. A leading "/" on the first
// word is allowed, for people used to Slack. Pure.
#pragma once

#include "microalign/core/message.hpp"
#include "microalign/core/parse.hpp"

namespace microalign {

struct MessageCommand {
  enum class Kind { update, setting } kind = Kind::update;
  Command command = Command::mention;  // for an update: heads_up, status, or mention
  RichText text;                       // an update's text without its command word; a setting's, with its keyword
};

MessageCommand read_message_command(RichText text);

}  // namespace microalign
