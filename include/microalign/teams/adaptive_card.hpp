// Rendering the platform-neutral Message for Microsoft Teams: one Adaptive Card in one message
// activity, and reading back what a click on one of its buttons brings. Pure; the Teams adapter
// sends what this makes.
//
// The card: a TextBlock per Section (small and subtle for a Context), a Divider as a separator on
// the element after it, and each Actions block as an ActionSet of Action.Submit buttons whose
// `data` is {"microalign": {"action_id": …, "value": …}}. A click arrives as a message activity
// with empty text, `replyToId` = the card's activity id and `value` = that data merged with the
// inputs the button gathers (read_card_click below reads it).
//
// The "post an update" button of a nudge DM (action id nudge_action::post_update) is an
// Action.ShowCard instead: Slack opens its form as a modal, a round trip through the bot that an
// Action.Submit cannot make, so on Teams the form travels inside the card — a state picker and a
// note, with a "Post" button carrying the ticket's data — and comes back with the click.
//
// Text: Teams renders a Markdown subset in TextBlocks, and its clients differ (the desktop follows
// CommonMark; the mobile renderers' shared parser turns `[x](y)`, `*`/`_` runs and `-`, `+`, `1.`
// after a line break or a bracket into markup and honours few backslash escapes). User text is
// therefore escaped so that it is markup in none of them: see to_markdown.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/message.hpp"

namespace microalign::teams {

// The card format version: the lowest with everything used here (input labels are 1.3; ActionSet
// and button styles 1.2). Teams renders up to 1.5.
inline constexpr std::string_view card_version = "1.3";

// Teams refuses a post past "approximately 28 KB", counted on the activity encoded as UTF-16.
inline constexpr std::size_t max_post_bytes = 28 * 1024;
// What to_teams_activity keeps its activity within: 1 KB stays free for the fields the adapter
// adds when it sends (from, recipient, conversation, replyToId: a few hundred bytes).
inline constexpr std::size_t activity_budget_bytes = max_post_bytes - 1024;

// The rendered Markdown of one TextBlock is cut (between characters, never inside an escape or a
// piece of markup, ending in "…") past this many bytes: even if every character were escaped,
// the first block and its buttons still fit the budget.
inline constexpr std::size_t max_text_block_bytes = 6000;

// The bytes of UTF-8 `text` once encoded as UTF-16: 2 for each code point of the BMP, 4 past it.
std::size_t utf16_bytes(std::string_view utf8);

// A user to notify: `text` ("<at>Ana</at>") stands in a TextBlock, and the card's
// msteams.entities carry {type: "mention", text, mentioned: {id, name}} for it.
struct Mention {
  std::string text;
  std::string id;
  std::string name;
  bool operator==(const Mention&) const = default;
};

struct Markdown {
  std::string text;
  std::vector<Mention> mentions;
};

// Rich text as a TextBlock's Markdown, at most `max_bytes` bytes. Literal text has every
// character that could start markup escaped with a backslash: always \ * _ ` [ ] ( ) < > & ~ { }
// (`{{` would start a DATE()/TIME() function, `<at>` a mention), and after a line break or a
// bracket also # - + and the dot of "1." (headings and lists); leading spaces of a line are
// dropped (four would make a code block) and each line break becomes a paragraph break ("\n\n",
// which every client shows as a new line). Bold and italic spans become **…** and _…_ around each
// line's escaped text; code spans `…`, or when the code holds a character that needs escaping,
// its escaped text between literal backticks (CommonMark has no escapes inside a code span, and
// the mobile clients have no code spans). Links become [label](url) only for http(s) and mailto
// URLs without white space or any of ( ) < > [ ] { } \ ` " *, else their escaped label. Users
// show as their name ("@ana"), and only a span with `mention` set becomes `<at>ana</at>` with a
// Mention; channels show as "#name". Invalid UTF-8 becomes U+FFFD and control characters are
// dropped, so the text always serialises.
Markdown to_markdown(const RichText&, std::size_t max_bytes = max_text_block_bytes);

// The Message as an Adaptive Card, as to_teams_activity sends it (within its budget).
nlohmann::json to_adaptive_card(const Message&);

// {"type": "message", "summary": fallback, "attachments": [{"contentType":
// "application/vnd.microsoft.card.adaptive", "content": card}]}. The fallback goes in `summary`
// (what notifications show), not in `text`: Teams splits a message holding both text and a card
// into two, losing the id needed to update the card. Mentions are in the card's msteams.entities,
// where Teams reads them for a card (the activity's own `entities` only apply to its `text`).
//
// Budget: the serialised activity stays within activity_budget_bytes as UTF-16. Past it, whole
// blocks are left out from the end — a block goes together with the Actions blocks right after
// it, so a ticket still shown keeps its buttons, and the first block is always kept — and a last
// small TextBlock says "…and N more not shown" (N blocks). No span is ever cut for the budget.
// Sections and contexts that render empty and Actions without buttons are left out; an ActionSet
// holds at most 6 buttons (Teams' limit); a message with no block shows its fallback as text.
nlohmann::json to_teams_activity(const Message&);

// What a click brings, read from the activity's `value`: the button's action id and value, and
// for a form's "Post" the form's fields by their ids (update_form_field::state, ::note), "" for
// a field left empty. nullopt for a value no card of ours made.
struct CardClick {
  std::string action_id;
  std::string value;
  std::map<std::string, std::string> fields;
  bool operator==(const CardClick&) const = default;
};
std::optional<CardClick> read_card_click(const nlohmann::json& activity_value);

}  // namespace microalign::teams
