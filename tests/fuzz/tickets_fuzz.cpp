// Ticket extraction: keys, GitHub references and tracker URLs found in any text, and the link
// the echo gives each key. Every key found must be one the echo can show (non-empty).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check.hpp"
#include "microalign/core/echo.hpp"
#include "microalign/core/parse.hpp"

using namespace microalign;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto links = find_links(text);
  for (const auto& url : links) fuzz::require(!url.empty(), "find_links lists no empty URL");
  static const ParseOptions any_prefix;
  static const ParseOptions some_prefixes{{"ENG", "acme"}};
  for (const auto* options : {&any_prefix, &some_prefixes}) {
    for (const auto& key : find_tickets(text, links, *options)) {
      fuzz::require(!key.empty(), "find_tickets lists no empty key");
      (void)ticket_url(key, links);
    }
  }
  return 0;
}
