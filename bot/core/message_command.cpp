#include "microalign/core/message_command.hpp"

#include "microalign/core/channel_command.hpp"
#include "microalign/core/text.hpp"

namespace microalign {
namespace {

constexpr std::string_view space = " \t\r\n";

// The first word of the text, when the text starts with plain words (not a link or a person).
std::string_view first_word(const RichText& text) {
  if (text.empty() || !text.front().url.empty() || !text.front().user.empty()) return {};
  const std::string_view t = text.front().text;
  const auto start = t.find_first_not_of(space);
  if (start == std::string_view::npos) return {};
  const auto end = t.find_first_of(space, start);
  return t.substr(start, end == std::string_view::npos ? t.size() - start : end - start);
}

// The text without its first word (and the spaces after it).
RichText after_first_word(RichText text, std::string_view word) {
  auto& first = text.front().text;
  const auto end = first.find(word) + word.size();
  const auto next = first.find_first_not_of(space, end);
  first.erase(0, next == std::string::npos ? first.size() : next);
  if (first.empty()) text.erase(text.begin());
  return text;
}

}  // namespace

MessageCommand read_message_command(RichText text) {
  auto word = first_word(text);
  const auto typed = word;
  if (word.starts_with('/')) word.remove_prefix(1);
  if (word.empty()) return {MessageCommand::Kind::update, Command::mention, std::move(text)};
  if (const auto command = command_from_string(lower_case(word))) {
    return {MessageCommand::Kind::update, *command, after_first_word(std::move(text), typed)};
  }
  if (channel_command::is_keyword(word)) {
    if (typed.starts_with('/')) text.front().text.erase(text.front().text.find('/'), 1);
    return {MessageCommand::Kind::setting, Command::mention, std::move(text)};
  }
  return {MessageCommand::Kind::update, Command::mention, std::move(text)};
}

}  // namespace microalign
