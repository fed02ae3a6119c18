// What a line typed in the sandbox's composer is, read the way Slack reads what people type:
// `/heads-up …` and `/status …` are updates, `/microalign …` a command, a line that @mentions the
// bot is shown in the conversation and read as an update (as Slack's app_mention is: the echo goes
// into the line's thread), and anything else is words to people, shown as they are (in a thread,
// a reply that may answer an assumption). `@ana` names a person and `#web` a channel, as Slack's
// autocomplete would make them; links become links. Pure: the adapter hands the result to the
// application.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "microalign/app/platform.hpp"
#include "microalign/sandbox/workspace.hpp"

namespace microalign::sandbox {

// Who typed, and where.
struct Typing {
  const Person* author = nullptr;
  std::string conversation;  // a channel, or the author's direct conversation with the bot
  std::string thread;        // the message replied to in its thread; "" in the conversation itself
};

// Words to people. Shown in the conversation; the bot reads them only as a possible answer, in a
// thread.
struct Said {
  RichText text;
};
// A line that @mentions the bot: shown in the conversation, then an update (mention_event).
//
// Why an update and not a message to the bot (Bot::on_message, as on Teams): the sandbox has
// Slack's slash commands, and on Slack a mention is an update written in a channel or a thread;
// commands are typed as `/microalign …`. The answers the bot gives spell commands that way too.
struct Mention {
  RichText text;  // without the bot's own name
};
// Not something the sandbox passes on, said privately to whoever typed it.
struct Refused {
  std::string why;
};

using Typed = std::variant<app::UpdatePosted, app::CommandIssued, Mention, Said, Refused>;

// At most this much of what is typed is read (Slack allows 4,000 characters in a message); the
// rest is cut, as a platform would.
inline constexpr std::size_t max_typed_bytes = 16 * 1024;

Typed read_typed(std::string_view text, const Typing&, const Workspace&);

// The text as rich text: `@ana` (a person here, or the bot) becomes a person span, `#web` a
// channel span, http(s) URLs links; everything else plain text, invalid UTF-8 replaced.
RichText decode_typed(std::string_view text, const Workspace&);

// The update a mention is, once the line is shown as the message `message_id`: its echo goes
// into the line's thread (the line's own, when it started none).
app::UpdatePosted mention_event(const Typing&, RichText text, const std::string& message_id, const Workspace&);

}  // namespace microalign::sandbox
