// The update parser reads whatever people type after /status, /heads-up or @microalign, and the
// decision parser what they type after /decision: any bytes, of any length, through every entry
// point, with and without ticket prefixes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "microalign/core/decision.hpp"
#include "microalign/core/labels.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/spelling.hpp"

using namespace microalign;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const ParseOptions any_prefix;
  static const ParseOptions only_eng{{"ENG", "OPS"}};
  static const auto spelling = slash_commands();
  for (const auto command : {Command::heads_up, Command::status, Command::mention}) {
    for (const auto* options : {&any_prefix, &only_eng}) {
      const auto parsed = parse_update(command, text, *options);
      (void)refusal_for(command, parsed, spelling);
      if (parsed.state) (void)stated_state_label(parsed);
    }
  }
  (void)parse_decision(RichText{plain(std::string(text))}, only_eng, spelling);
  return 0;
}
