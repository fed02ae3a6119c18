// A small rich-message model that every outgoing message is built in. Each platform's adapter
// renders it when sending: Slack as Block Kit (mrkdwn, escaped), Teams as an Adaptive Card. User text
// only ever enters as `Span::text`, so the renderer — not the caller — decides how to escape it,
// and a user can never smuggle markup (`<!channel>`, `*bold*` runs…) into what the bot posts.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace microalign {

struct Span {
  enum class Style { plain, bold, italic, code };
  std::string text;         // always literal text, never markup (for users: "@name")
  Style style = Style::plain;
  std::string url;          // non-empty: the span is a link with `text` as its label
  std::string user;         // non-empty: the span names this platform user (see `mention`)
  bool mention = false;     // true: notify `user`; false: show the name only, never ping
  std::string channel;      // non-empty: a reference to this channel id

  bool operator==(const Span&) const = default;
};

using RichText = std::vector<Span>;

// Conveniences for building RichText in readable one-liners.
Span plain(std::string text);
Span bold(std::string text);
Span italic(std::string text);
Span code(std::string text);
Span link(std::string label, std::string url);
Span user_ref(std::string user_id, std::string display_name, bool mention);
Span channel_ref(std::string channel_id, std::string name);

// The plain-text reading of rich text: labels for links, names for people.
std::string to_plain_text(const RichText&);
// What one span shows when rendered as text: its own text, else what it points at ("@U1").
std::string display_text(const Span&);
// A message written to the bot, without the bot's own mention (spans naming `bot_user`) and the
// punctuation people put after it ("@microalign: ENG-42 on track" → "ENG-42 on track").
RichText without_mention_of(RichText, const std::string& bot_user);

struct Section {
  RichText text;
  bool operator==(const Section&) const = default;
};
struct Context {  // small grey print: who, when, what kind
  RichText text;
  bool operator==(const Context&) const = default;
};
struct Divider {
  bool operator==(const Divider&) const = default;
};
struct Button {
  std::string label;
  std::string action_id;
  std::string value;
  enum class Style { normal, primary, danger } style = Style::normal;
  bool operator==(const Button&) const = default;
};
struct Actions {
  std::vector<Button> buttons;
  bool operator==(const Actions&) const = default;
};

using Block = std::variant<Section, Context, Divider, Actions>;

struct Message {
  std::string fallback;  // plain text for notifications and screen readers
  std::vector<Block> blocks;
  bool operator==(const Message&) const = default;
};

}  // namespace microalign
