#include "microalign/core/message.hpp"

namespace microalign {

namespace {
Span styled(std::string text, Span::Style style) {
  Span s;
  s.text = std::move(text);
  s.style = style;
  return s;
}
}  // namespace

Span plain(std::string text) { return styled(std::move(text), Span::Style::plain); }
Span bold(std::string text) { return styled(std::move(text), Span::Style::bold); }
Span italic(std::string text) { return styled(std::move(text), Span::Style::italic); }
Span code(std::string text) { return styled(std::move(text), Span::Style::code); }

Span link(std::string label, std::string url) {
  Span s = plain(std::move(label));
  s.url = std::move(url);
  return s;
}

Span user_ref(std::string user_id, std::string display_name, bool mention) {
  Span s = plain("@" + (display_name.empty() ? user_id : std::move(display_name)));
  s.user = std::move(user_id);
  s.mention = mention;
  return s;
}

Span channel_ref(std::string channel_id, std::string name) {
  Span s = plain("#" + std::move(name));
  s.channel = std::move(channel_id);
  return s;
}

std::string display_text(const Span& span) {
  if (!span.text.empty()) return span.text;
  if (!span.url.empty()) return span.url;
  if (!span.user.empty()) return "@" + span.user;
  if (!span.channel.empty()) return "#" + span.channel;
  return {};
}

RichText without_mention_of(RichText text, const std::string& bot_user) {
  std::erase_if(text, [&](const Span& s) { return !s.user.empty() && s.user == bot_user; });
  while (!text.empty() && text.front().url.empty() && text.front().user.empty() && text.front().channel.empty()) {
    auto& first = text.front().text;
    const auto start = first.find_first_not_of(" \t\n:,;-");
    if (start != std::string::npos) {
      first.erase(0, start);
      break;
    }
    text.erase(text.begin());
  }
  return text;
}

std::string to_plain_text(const RichText& text) {
  std::string out;
  for (const auto& span : text) {
    if (!span.text.empty()) {
      out += span.text;
    } else if (!span.url.empty()) {
      out += span.url;
    }
  }
  return out;
}

}  // namespace microalign
