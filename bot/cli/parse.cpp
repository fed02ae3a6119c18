#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/text.hpp"
#include "microalign/slack/mrkdwn.hpp"

namespace microalign::cli {

namespace {

constexpr const char* help = R"(Usage: microalign parse [--command /heads-up|/status|@mention] TEXT...

Prints how microalign understands an update, as one JSON object:
  kind        heads_up, status, assumption or question
  state       on_track, at_risk, delayed, blocked, done, or null
  tickets     ticket keys: ENG-42, acme/web#12 (also from Jira, GitHub and Linear URLs)
  links       every URL in the text
  delay_days  how late, for delayed (or null)
  text        the text as stored

TEXT may use Slack formatting (<https://x|label>, &amp;). The default command is /heads-up.
MICROALIGN_TICKET_PREFIXES=ENG,OPS restricts ticket keys to those projects.

Example:
  microalign parse --command /status "ENG-42 a day late, waiting on OPS-7"
)";

}  // namespace

int parse(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  Command command = Command::heads_up;
  std::string text;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--command") {
      if (i + 1 == args.size()) return usage_error("--command needs a value", "parse");
      const auto& name = args[++i];
      if (name == "@mention" || name == "mention") {
        command = Command::mention;
      } else if (auto c = command_from_string(name); c == Command::decision) {
        return usage_error("/decision records a decision, not an update: parse reads updates", "parse");
      } else if (c) {
        command = *c;
      } else {
        return usage_error("unknown command '" + name + "' (use /heads-up, /status or @mention)", "parse");
      }
    } else {
      text += (text.empty() ? "" : " ") + args[i];
    }
  }
  if (text.empty()) return usage_error("no text to parse", "parse");

  auto loaded = load_config(process_environment());
  if (auto* error = std::get_if<ConfigError>(&loaded)) return usage_error(error->message, "parse");
  const auto& config = std::get<Config>(loaded);

  const auto parsed = parse_update(command, slack::decode(sanitize_utf8(text)), config.parse);
  const auto out = parsed_json(parsed);
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace microalign::cli
