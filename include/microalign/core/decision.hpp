// The decision log: `/decision <title>: <what was decided> because <why> [impact: <impact>]`,
// optionally opened by `supersedes D12:`. A decision is kept apart from updates (it has a title,
// a rationale and an owner, and may be superseded); people see it as `D12`. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/spelling.hpp"

namespace microalign {

// What the author wrote, read into the log's fields.
struct ParsedDecision {
  std::string title;                       // before the first ':'
  std::string decision;                    // what was decided: between ':' and "because"
  std::string rationale;                   // after "because"
  std::string impact;                      // after "impact:", when the author gave one; else ""
  std::optional<std::int64_t> supersedes;  // `supersedes D12:` → 12
  std::vector<std::string> tickets;        // as find_tickets reads the whole text
  std::vector<std::string> links;          // as find_links reads it
  std::string text;                        // the whole text, plain, as typed (without the lead)
};

// A decision as stored: the parse plus who (its owner: the author), where and when.
struct Decision {
  std::int64_t id = 0;  // assigned by the store
  SysTime created_at{};
  Conversation where;      // team, channel, and the thread it came from
  std::string owner;       // platform user id of the author
  std::string source_ref;  // the message it came in (a mention); "" for a command
  ParsedDecision parsed;
  // Filled in by the store on reading: the decision that superseded this one, if any.
  std::optional<std::int64_t> superseded_by;
};

// Not a decision as typed: what is wrong, with an example of the right form.
struct DecisionRefusal {
  std::string message;
};

// Reads `<title>: <decision> because <why> [impact: <impact>]`, with an optional leading
// `supersedes D12:` (or `supersedes 12:`). "because" and "impact:" are found in any case, as whole
// words; the first "because" after the title splits decision from rationale, and an "impact:"
// after it ends the rationale. Tickets and links come from the whole text.
std::variant<ParsedDecision, DecisionRefusal> parse_decision(const RichText& text, const ParseOptions&,
                                                             const CommandSpelling&);

// `decision: …` opening a mention or a message to the bot (any case): the text after the lead,
// or nullopt when the text does not open so.
std::optional<RichText> decision_after_lead(const RichText& text);

// "D12".
std::string decision_label(std::int64_t id);

// The form, as help and refusals show it.
std::string decision_form(const CommandSpelling&);

}  // namespace microalign
