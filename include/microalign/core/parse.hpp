// Turning what people type into a ParsedUpdate: kind, state, tickets, links, delay.
// Pure functions; each platform's adapter decodes its markup into RichText first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/spelling.hpp"

namespace microalign {

// The entry points an update can come through. `mention` is `@microalign <text>` in a channel
// or thread; it reads like /heads-up but becomes a status when it names tickets and a state.
// `decision` records a decision in the log (core/decision.hpp), not an update.
enum class Command { heads_up, status, mention, decision };

// "/heads-up", "/status", "/decision" (with or without the slash); nullopt for anything else.
std::optional<Command> command_from_string(std::string_view);

struct ParseOptions {
  // When non-empty, only keys with these project prefixes count as tickets ("ENG", "OPS").
  // From MICROALIGN_TICKET_PREFIXES.
  std::vector<std::string> ticket_prefixes;
};

ParsedUpdate parse_update(Command, const RichText& text, const ParseOptions&);

// Convenience for plain text with no markup (tests, the `parse` CLI after decoding).
ParsedUpdate parse_update(Command, std::string_view plain_text, const ParseOptions&);

// Every http(s) URL written out in plain text, in order of appearance, de-duplicated. A URL runs
// to the next space or `<>"`; trailing punctuation (".", ",", ")" …) is not part of it.
std::vector<std::string> find_links(std::string_view plain_text);

// The http(s) URL `text` starts with, as find_links would list it, or empty when there is none.
// Reads no further than that URL's first space or `<>"`, so a reader walking a long text can
// ask at every word without going quadratic.
std::string_view leading_link(std::string_view text);

// Canonical ticket keys found in text and links, in order of first appearance, de-duplicated:
// Jira/Linear keys ("ENG-42"), GitHub "owner/repo#123", and the keys inside Jira
// (/browse/ENG-42), GitHub issue/PR and Linear (/issue/ENG-42) URLs.
std::vector<std::string> find_tickets(std::string_view plain_text,
                                      const std::vector<std::string>& links,
                                      const ParseOptions&);

// Why an update cannot be stored as typed, phrased for its author, or nullopt when it can.
// (A /status without any ticket is refused, with an example of the right form.)
std::optional<std::string> refusal_for(Command, const ParsedUpdate&, const CommandSpelling&);

}  // namespace microalign
