// What the sandbox's page reads: messages as Block Kit-like blocks (sections and small print as
// spans, dividers, buttons), the update form, and the whole state since the page's cursor. Pure.
//
// User text travels as JSON strings and the page only ever puts it in with textContent; a link
// keeps its URL only when it is http(s) or an anchor in the page ("#…"), else it is plain text.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/sandbox/message_log.hpp"
#include "microalign/sandbox/workspace.hpp"

namespace microalign::sandbox {

// {"fallback": …, "blocks": [{"type": "section"|"context", "text": [span…]}, {"type": "divider"},
//  {"type": "actions", "buttons": [{"label", "action_id", "value", "style"}]}]}
// A span: {"text"} plus "style" ("bold", "italic", "code"), "url", "user" (a person's id; the
// text is "@Name"), "channel" (the text is "#name") when it has them.
nlohmann::json page_message(const Message&, const Workspace&);

// One entry: {"id", "seq", "order", "kind" ("bot"|"person"|"form"), "conversation", "thread", "author",
// "only_for", "at" (ms since the epoch, the sandbox's time), "edited", "checked_by", and
// "message" or "form" ({"ticket", "about", "open", "state", "note", "problems", "states":
// [{"value", "label"}]})}.
nlohmann::json page_entry(const Entry&, const Workspace&);

// {"cursor", "now": {"ms", "iso"}, "team", "bot", "channels": [{"id", "topic"}],
//  "people": [{"id", "name", "time_zone", "city", "direct"}], "messages": [entries changed after
//  `since`, in the order they changed]}
nlohmann::json page_state(const MessageLog&, std::int64_t since, SysTime now, const Workspace&);

}  // namespace microalign::sandbox
