#include "microalign/sandbox/composer.hpp"

#include <cctype>

#include "microalign/core/parse.hpp"
#include "microalign/core/text.hpp"

namespace microalign::sandbox {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; }

// The run of name characters at `at`, without a trailing '.' (the end of a sentence).
std::string_view name_at(std::string_view text, std::size_t at) {
  auto end = at;
  while (end < text.size() && is_name_char(text[end])) ++end;
  while (end > at && text[end - 1] == '.') --end;
  return text.substr(at, end - at);
}

class Decoder {
 public:
  explicit Decoder(const Workspace& w) : w_(w) {}

  RichText decode(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      const bool word_start = i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '(';
      if (word_start) {
        if (const auto url = leading_link(text.substr(i)); !url.empty()) {
          flush();
          spans_.push_back(link(std::string(url), std::string(url)));
          i += url.size();
          continue;
        }
        if ((text[i] == '@' || text[i] == '#') && i + 1 < text.size()) {
          const auto name = name_at(text, i + 1);
          if (auto span = reference(text[i], lower_case(name))) {
            flush();
            spans_.push_back(std::move(*span));
            i += 1 + name.size();
            continue;
          }
        }
      }
      pending_ += text[i++];
    }
    flush();
    return std::move(spans_);
  }

 private:
  std::optional<Span> reference(char sigil, const std::string& name) const {
    if (sigil == '#') {
      if (!w_.channel(name)) return std::nullopt;
      return channel_ref(name, name);
    }
    if (name == w_.bot_name) return user_ref(w_.bot_name, w_.bot_name, true);
    const auto* person = w_.person(name);
    if (!person) return std::nullopt;
    return user_ref(person->id, person->name, /*mention=*/true);  // named by its author: notified, as on Slack
  }

  void flush() {
    if (!pending_.empty()) spans_.push_back(plain(std::move(pending_)));
    pending_.clear();
  }

  const Workspace& w_;
  RichText spans_;
  std::string pending_;
};

bool names_bot(const RichText& text, const Workspace& w) {
  for (const auto& s : text) {
    if (s.user == w.bot_name) return true;
  }
  return false;
}

std::string trimmed(std::string_view s) {
  const auto start = s.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(start, end - start + 1));
}

}  // namespace

RichText decode_typed(std::string_view text, const Workspace& w) {
  return Decoder(w).decode(sanitize_utf8(text, max_typed_bytes));
}

Typed read_typed(std::string_view raw, const Typing& typing, const Workspace& w) {
  const auto text = trimmed(sanitize_utf8(raw, max_typed_bytes));
  if (text.empty()) return Refused{"Type something first."};
  const app::Person author{typing.author->id, typing.author->name, typing.author->time_zone};
  const Conversation where{w.team, typing.conversation, {}};
  if (text.front() == '/') {
    if (!typing.thread.empty()) {
      return Refused{"Slash commands don't work in threads, as on Slack: mention @" + w.bot_name + " instead (`@" +
                     w.bot_name + " ENG-42 on track`)."};
    }
    const auto space = text.find_first_of(" \t\n");
    const auto command = lower_case(text.substr(0, space));
    const auto rest = space == std::string::npos ? std::string{} : trimmed(std::string_view(text).substr(space));
    const auto reply = encode_reply_handle({typing.author->id, typing.conversation, {}});
    if (command == "/" + w.bot_name) {
      app::CommandIssued issued;
      issued.where = where;
      issued.asker = author;
      issued.text = decode_typed(rest, w);
      issued.reply_handle = reply;
      return issued;
    }
    app::UpdatePosted posted;
    posted.command = command;
    posted.kind = command_from_string(command);
    posted.where = where;
    posted.author = author;
    posted.text = decode_typed(rest, w);
    posted.reply_handle = reply;
    return posted;
  }
  auto decoded = decode_typed(text, w);
  if (names_bot(decoded, w)) return Mention{without_mention_of(std::move(decoded), w.bot_name)};
  return Said{std::move(decoded)};
}

app::UpdatePosted mention_event(const Typing& typing, RichText text, const std::string& message_id,
                                const Workspace& w) {
  app::UpdatePosted posted;
  posted.command = "@" + w.bot_name;
  posted.kind = Command::mention;
  posted.where = {w.team, typing.conversation, typing.thread};
  posted.author = {typing.author->id, typing.author->name, typing.author->time_zone};
  posted.text = std::move(text);
  posted.event_id = "sandbox:" + message_id;
  posted.source_ref = message_id;
  posted.echo_thread = typing.thread.empty() ? message_id : typing.thread;
  return posted;
}

}  // namespace microalign::sandbox
