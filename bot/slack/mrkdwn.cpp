#include "microalign/slack/mrkdwn.hpp"

#include <array>
#include <utility>

#include "microalign/core/text.hpp"

namespace microalign::slack {
namespace {

// What each code point becomes in the output; `bytes` is its encoding in the input.
std::string_view valid_piece(std::string_view bytes, const CodePoint& point) {
  return point.valid ? bytes : replacement_character;
}

std::string_view escaped_piece(std::string_view bytes, const CodePoint& point) {
  switch (point.value) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    default: return valid_piece(bytes, point);
  }
}

bool is_control(const CodePoint& point) {
  const auto c = point.value;
  return point.valid && ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F));
}

std::string_view visible_piece(std::string_view bytes, const CodePoint& point) {
  return is_control(point) ? std::string_view{} : valid_piece(bytes, point);
}

// Appends `in` code point by code point, each turned into `piece_of(...)`, and stops before the
// first piece that would take `out` past `budget` bytes. True when all of `in` fitted.
template <typename PieceOf>
bool append_within(std::string& out, std::string_view in, std::size_t budget, PieceOf piece_of) {
  for (std::size_t at = 0; at < in.size();) {
    const auto point = code_point_at(in, at);
    const auto piece = piece_of(in.substr(at, point.length), point);
    if (out.size() + piece.size() > budget) return false;
    out += piece;
    at += point.length;
  }
  return true;
}

// ---- Decoding -----------------------------------------------------------------------------------

std::string without_invalid_or_control(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_within(out, text, std::string::npos, visible_piece);
  return out;
}

// Slack escapes exactly these three, and `&amp;lt;` is the text "&lt;", so one left-to-right
// pass is right.
std::string unescape(std::string_view text) {
  constexpr std::array entities{std::pair{std::string_view{"&amp;"}, '&'},
                                std::pair{std::string_view{"&lt;"}, '<'},
                                std::pair{std::string_view{"&gt;"}, '>'}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    bool replaced = false;
    if (text[at] == '&') {
      for (const auto& [entity, character] : entities) {
        if (text.substr(at).starts_with(entity)) {
          out += character;
          at += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[at++];
  }
  return out;
}

std::pair<std::string_view, std::string_view> split_once(std::string_view text, char separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + 1)};
}

std::string without_prefix(std::string text, char prefix) {
  if (!text.empty() && text.front() == prefix) text.erase(0, 1);
  return text;
}

// "scheme:" as RFC 3986 spells it; Slack only wraps URLs, mailto: and the like in `<…>` this way.
bool starts_with_scheme(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_alpha(text[0])) return false;
  for (const char c : text.substr(1, colon - 1)) {
    const bool allowed = is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

// `<!here>`-style sequences. Broadcasts become inert text; the rest show their fallback label.
std::string special_text(std::string_view body) {
  const auto [command, label] = split_once(body, '|');
  const auto [keyword, argument] = split_once(command, '^');
  if (keyword == "here" || keyword == "channel" || keyword == "everyone") {
    return "@" + std::string(keyword);
  }
  if (!label.empty()) return unescape(label);
  if (keyword == "subteam") return "@" + unescape(argument);
  return {};  // e.g. a date without a fallback: nothing readable to show
}

// Collects decoded text, merging runs of plain text into one span.
class RichTextBuilder {
 public:
  void add_text(std::string_view text) { pending_ += text; }

  void add_span(Span span) {
    flush();
    spans_.push_back(std::move(span));
  }

  // The inside of one `<…>` sequence.
  void add_control(std::string_view body) {
    if (body.empty()) return add_text("<>");
    const auto [target, label] = split_once(body.substr(1), '|');
    switch (body.front()) {
      case '@':
        // A person the author named is notified, as if the author had posted it; broadcasts
        // and groups (below) never are.
        if (target.empty()) break;
        return add_span(user_ref(std::string(target), without_prefix(unescape(label), '@'),
                                 /*mention=*/true));
      case '#': {
        if (target.empty()) break;
        auto name = label.empty() ? std::string(target) : without_prefix(unescape(label), '#');
        return add_span(channel_ref(std::string(target), std::move(name)));
      }
      case '!':
        return add_text(special_text(body.substr(1)));
      default:
        if (!starts_with_scheme(body)) break;
        const auto [url, url_label] = split_once(body, '|');
        return add_span(link(unescape(url_label.empty() ? url : url_label), unescape(url)));
    }
    add_text("<" + unescape(body) + ">");  // not a control sequence after all: keep it as typed
  }

  RichText finish() && {
    flush();
    return std::move(spans_);
  }

 private:
  void flush() {
    if (pending_.empty()) return;
    spans_.push_back(plain(std::move(pending_)));
    pending_.clear();
  }

  RichText spans_;
  std::string pending_;
};

// ---- Rendering ----------------------------------------------------------------------------------

bool is_slack_id(std::string_view id) {
  if (id.empty()) return false;
  for (const char c : id) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) return false;
  }
  return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != prefix[i]) return false;
  }
  return true;
}

// Only targets people expect from a link, and only ones that cannot break out of `<url|label>`.
bool is_safe_link_target(std::string_view url) {
  const bool allowed_scheme = starts_with_ignoring_case(url, "https://") ||
                              starts_with_ignoring_case(url, "http://") ||
                              starts_with_ignoring_case(url, "mailto:");
  if (!allowed_scheme) return false;
  for (const char c : url) {
    if (c == '|' || c == '<' || c == '>' || static_cast<unsigned char>(c) <= ' ') return false;
  }
  return true;
}

std::string link_markup(const Span& span) {
  if (!is_safe_link_target(span.url)) return escape(display_text(span));
  if (span.text.empty() || span.text == span.url) return "<" + escape(span.url) + ">";
  return "<" + escape(span.url) + "|" + escape(span.text) + ">";
}

std::string styled(Span::Style style, std::string inner) {
  if (inner.empty()) return inner;  // "**" would show as two asterisks
  switch (style) {
    case Span::Style::bold: return "*" + inner + "*";
    case Span::Style::italic: return "_" + inner + "_";
    case Span::Style::code: return "`" + inner + "`";
    case Span::Style::plain: break;
  }
  return inner;
}

std::string render_span(const Span& span) {
  if (!span.url.empty()) return styled(span.style, link_markup(span));
  if (!span.user.empty()) {
    return span.mention && is_slack_id(span.user) ? "<@" + span.user + ">"
                                                  : escape(display_text(span));
  }
  if (!span.channel.empty()) {
    return is_slack_id(span.channel) ? "<#" + span.channel + ">" : escape(display_text(span));
  }
  return styled(span.style, escape(span.text));
}

// Whole spans while they fit; then as much of the next span's text as fits, as plain text.
bool append_spans_within(std::string& out, const RichText& text, std::size_t budget) {
  for (const auto& span : text) {
    const auto markup = render_span(span);
    if (out.size() + markup.size() <= budget) {
      out += markup;
      continue;
    }
    append_within(out, display_text(span), budget - out.size(), escaped_piece);
    return false;
  }
  return true;
}

}  // namespace

RichText decode(std::string_view slack_text) {
  const std::string text = without_invalid_or_control(slack_text);
  RichTextBuilder builder;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find('<', at);
    builder.add_text(unescape(std::string_view(text).substr(at, open - at)));
    if (open == std::string::npos) break;
    // Finding the next `<` or `>` (not just `>`) keeps this linear: every byte is looked at once.
    const auto close = text.find_first_of("<>", open + 1);
    if (close == std::string::npos || text[close] == '<') {
      const auto literal_end = close == std::string::npos ? text.size() : close;
      builder.add_text(unescape(std::string_view(text).substr(open, literal_end - open)));
      at = literal_end;
      continue;
    }
    builder.add_control(std::string_view(text).substr(open + 1, close - open - 1));
    at = close + 1;
  }
  return std::move(builder).finish();
}

std::string escape(std::string_view plain, std::size_t max_bytes) {
  return within_limit(max_bytes, [&](std::string& out, std::size_t budget) {
    return append_within(out, plain, budget, escaped_piece);
  });
}

std::string render(const RichText& text, std::size_t max_bytes) {
  return within_limit(max_bytes, [&](std::string& out, std::size_t budget) {
    return append_spans_within(out, text, budget);
  });
}

}  // namespace microalign::slack
