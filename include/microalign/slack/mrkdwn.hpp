// Slack's text formatting, both ways. Incoming text (slash command `text`, event `text`) arrives
// with `&amp;`-style entities and `<…>` control sequences; we decode it into RichText. Outgoing
// text is rendered from RichText, escaping user text so that it can never become a control
// sequence: a typed `<!channel>` reaches the channel as the inert characters "<!channel>".
#pragma once

#include <string>
#include <string_view>

#include "microalign/core/message.hpp"

namespace microalign::slack {

// `<https://x|label>` → link span; `<https://x>` → link span labelled with the URL;
// `<mailto:a@b|a@b>` → link; `<@U123>` / `<@U123|bob>` → user span ("@bob", or "@U123") with
// `mention` off, so echoing it never pings anyone on the author's behalf; `<#C123|eng>` →
// channel span ("#eng"); `<!here>`, `<!channel>`, `<!everyone>` → plain "@here"/"@channel"/
// "@everyone"; `<!subteam^S1|@team>` → plain "@team"; `<!date^…|fallback>` → plain fallback;
// `&amp;`, `&lt;`, `&gt;` → `&`, `<`, `>`. A `<` without a closing `>` is kept as text. Invalid
// UTF-8 is replaced (U+FFFD) and control characters other than newline and tab are dropped, so
// what we store is always valid. Linear in the size of the input.
RichText decode(std::string_view slack_text);

// Only `&`, `<`, `>` are escaped, as Slack asks. Invalid UTF-8 becomes U+FFFD. At most
// `max_bytes` bytes, cut between characters (never inside an entity) and ending in "…" when cut.
std::string escape(std::string_view plain, std::size_t max_bytes = std::string::npos);

// Renders rich text as mrkdwn. Links become `<url|label>` when the URL is http(s) or mailto and
// holds no `|`, `<`, `>` or white space; any other link is rendered as its escaped label, so a
// `javascript:` URL is only ever text. Users become `<@U…>` only when `mention` is set (else the
// escaped display text), channels `<#C…>`; styled spans are wrapped in `*`, `_` or `` ` `` around
// escaped text. At most `max_bytes` bytes: a cut falls between spans or inside a span's text
// (that span then shown as plain text), never inside markup, and ends in "…".
std::string render(const RichText&, std::size_t max_bytes = std::string::npos);

}  // namespace microalign::slack
