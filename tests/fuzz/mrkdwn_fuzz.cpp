// Slack text decoding and escaping, from what Slack delivers to the echo the bot posts. The
// promise (README: an echo never pings): whatever is typed, the echo's Block Kit carries no
// Slack control sequence for a broadcast, `<!channel>`, `<!here>`, `<!everyone>` or
// `<!subteam^…>` — nor any other `<!…>`; and its JSON always serialises (valid UTF-8 only).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "check.hpp"
#include "microalign/core/echo.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/text.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/mrkdwn.hpp"

using namespace microalign;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view typed(reinterpret_cast<const char*>(data), size);
  const auto escaped = slack::escape(typed);
  fuzz::require(escaped.find_first_of("<>") == std::string::npos, "escape leaves no < or >");

  // As the receiver does: Slack's text decoded, parsed, stored and echoed with the author's name
  // (which Slack also lets people choose, so it is the same hostile text).
  const auto body = slack::decode(typed);
  Update update;
  update.user = "U1";
  update.parsed = parse_update(Command::mention, body, ParseOptions{});
  const auto echo = slack::to_block_kit(render_echo(update, body, sanitize_utf8(typed))).dump();
  fuzz::require(echo.find("<!") == std::string::npos, "an echo carries no <!…> control sequence");

  const auto rendered = slack::render(body);
  fuzz::require(rendered.find("<!") == std::string::npos, "rendered text carries no <!…> control sequence");
  return 0;
}
