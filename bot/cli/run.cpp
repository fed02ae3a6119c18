#include <boost/asio/io_context.hpp>
#include <iostream>

#include "cli.hpp"
#include "runtime.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/log.hpp"

namespace microalign::cli {

namespace {

namespace asio = boost::asio;

constexpr const char* help = R"(Usage: microalign run

Serves Slack (through Socket Mode), Microsoft Teams (its activities POSTed to
/api/messages on MICROALIGN_HTTP_ADDR), or both, by the variables set: each update is parsed,
stored (SQLite, or PostgreSQL shared by several replicas), acknowledged and echoed to its channel; digests and nudges go out on time.
Runs until SIGINT or SIGTERM, then finishes the updates in flight, refuses new ones (Slack
redelivers them), and closes its connections cleanly. A second signal exits at once; the
database is transactional, so nothing is left half-written either way.

Environment (see README.md):
  SLACK_APP_TOKEN       app-level token, xapp-… (or SLACK_APP_TOKEN_FILE, a 0600 file)
  SLACK_BOT_TOKEN       bot token, xoxb-… (or SLACK_BOT_TOKEN_FILE, a 0600 file)
  SLACK_API_URL         Web API base URL (default https://slack.com/api/)
  MICROALIGN_DB         SQLite database file (default ./microalign.db, created 0600), or a
                        PostgreSQL URI, postgresql://user@host:port/database (the password
                        from PGPASSFILE, or MICROALIGN_DB_FILE: a 0600 file holding the URI)
  MICROALIGN_DB_POOL    PostgreSQL connections, 1-32 (default 4)
  MICROALIGN_LOG        debug, info, warn or error (default info)
  MICROALIGN_LOG_FORMAT text, or json for one JSON object per line (default text)
  MICROALIGN_TICKET_PREFIXES   e.g. ENG,OPS: only these projects' keys count as tickets
  MICROALIGN_CONNECTIONS       Socket Mode connections to keep open, 1-10 (default 2)
  MicrosoftAppId        the Teams bot's app id (Teams is served when set)
  MicrosoftAppPassword  its client secret (or MicrosoftAppPassword_FILE, a 0600 file)
  MicrosoftAppTenantId  its tenant
  MICROALIGN_HTTP_ADDR  where Teams posts to /api/messages and the trackers to /webhooks/…
                        (default 127.0.0.1:3978)
  GITHUB_WEBHOOK_SECRET, JIRA_WEBHOOK_SECRET, LINEAR_WEBHOOK_SECRET   each turns on its
                        tracker's webhook, /webhooks/github, /jira, /linear (or …_FILE, 0600)
  MICROALIGN_JIRA_URL, MICROALIGN_LINEAR_URL   where ticket keys link (https://acme.atlassian.net)
  BotOpenIdMetadata, ToChannelFromBotLoginUrl   Bot Framework endpoints (defaults: Microsoft's)

Exit status: 0 after a clean stop, 1 on a fatal error (such as a rejected token),
2 for a configuration error (neither Slack nor Teams configured, a malformed token).
)";

}  // namespace

int run(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  if (!args.empty()) return usage_error("run takes no arguments", "run");

  auto loaded = load_config_with_tokens(process_environment());
  if (auto* error = std::get_if<ConfigError>(&loaded)) {
    std::cerr << "microalign: " << error->message << "\n";
    return 2;
  }
  const auto config = std::get<Config>(std::move(loaded));
  return serve_until_signalled(config, [&](boost::asio::io_context& io, storage::Transactions& transactions) {
    return std::make_unique<Runtime>(io, config, transactions);
  });
}

}  // namespace microalign::cli
