#include "microalign/core/spelling.hpp"

namespace microalign {
namespace {

// `status`, `heads-up` and `decision` are commands of their own where there are slash commands;
// every other one is a word after the bot's own command.
bool is_update_command(std::string_view words) {
  for (const std::string_view verb : {"status", "heads-up", "decision"}) {
    if (words.starts_with(verb) && (words.size() == verb.size() || words[verb.size()] == ' ')) return true;
  }
  return false;
}

}  // namespace

std::string CommandSpelling::spell(std::string_view words) const {
  return (is_update_command(words) ? updates : settings) + std::string(words);
}

std::string CommandSpelling::code(std::string_view words) const { return "`" + spell(words) + "`"; }

CommandSpelling slash_commands(std::string_view bot_name) {
  return {"/", "/microalign ", "/invite @" + std::string(bot_name)};
}

}  // namespace microalign
