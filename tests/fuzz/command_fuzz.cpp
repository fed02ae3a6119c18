// The command grammar: `/microalign …` (channel_command) and a message written to the bot
// (message_command), read from any text. A 0x01 byte in the input separates spans, and every
// other span is a person picked from the @-autocomplete, so the grammar also meets user spans
// where it expects words and words where it expects people.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "microalign/core/channel_command.hpp"
#include "microalign/core/message_command.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/spelling.hpp"

using namespace microalign;

namespace {

RichText spans_of(std::string_view input) {
  RichText text;
  bool person = false;
  for (std::size_t start = 0; start <= input.size();) {
    const auto end = std::min(input.find('\x01', start), input.size());
    const std::string part(input.substr(start, end - start));
    text.push_back(person ? user_ref(part, "@" + part, false) : plain(part));
    person = !person;
    start = end + 1;
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const auto spelling = slash_commands();
  static const ParseOptions options;
  (void)channel_command::parse(input, spelling);
  const auto text = spans_of(input);
  (void)channel_command::parse(text, spelling);
  const auto asked = read_message_command(text);
  if (asked.kind == MessageCommand::Kind::setting) {
    (void)channel_command::parse(asked.text, spelling);
  } else {
    (void)parse_update(asked.command, asked.text, options);
  }
  return 0;
}
