// Every knob in one struct, filled from the environment in one place (config.cpp).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <variant>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/echo.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/parse.hpp"

namespace microalign {

// A secret that refuses to be printed: only `reveal()` gives the value, and only the code that
// puts it on the wire calls it.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

struct SlackConfig {
  Secret app_token;                           // SLACK_APP_TOKEN, xapp-…
  Secret bot_token;                           // SLACK_BOT_TOKEN, xoxb-…
  std::string api_url = "https://slack.com/api/";  // SLACK_API_URL
  int connections = 2;                        // MICROALIGN_CONNECTIONS, 1..10
  // Not from the environment: the values Slack's own SDKs use, shortened only by tests.
  std::chrono::seconds dead_link_after{30};   // no frame and no pong for this long: reconnect
  std::chrono::milliseconds ack_deadline{2500};  // Slack gives 3 s; keep a margin for the wire
  std::chrono::seconds backoff_cap{60};          // longest wait between reconnect attempts
  std::chrono::milliseconds api_timeout{10000};  // one Web API call, connect to last byte
};

// Microsoft Teams through the Bot Framework. Names follow the Bot Framework SDK's settings, so an
// Azure bot's existing configuration works unchanged.
struct TeamsConfig {
  std::string app_id;     // MicrosoftAppId: the bot's Entra app (client) id; empty: Teams off
  Secret app_password;    // MicrosoftAppPassword (or MicrosoftAppPassword_FILE, mode 0600)
  std::string tenant_id;  // MicrosoftAppTenantId: single-tenant bots' tenant
  // BotOpenIdMetadata: where the keys that sign inbound activities are published.
  std::string openid_metadata_url = "https://login.botframework.com/v1/.well-known/openidconfiguration";
  // ToChannelFromBotLoginUrl: the login base; the token endpoint is <it>/oauth2/v2.0/token.
  // Empty: https://login.microsoftonline.com/<tenant>.
  std::string login_url;
  // Not from the environment: what the Bot Connector allows, shortened only by tests.
  std::chrono::milliseconds api_timeout{10000};  // one connector or login call
  std::chrono::milliseconds ack_deadline{900};   // Teams wants its answer within a second or so

  bool enabled() const { return !app_id.empty(); }
  std::string token_url() const;  // <login base>/oauth2/v2.0/token
};

// The trackers whose webhooks tell microalign about tickets: each one's endpoint is on when its
// secret is set (the same secret is pasted into the tracker's webhook settings). And where ticket
// keys link to, for keys that are not GitHub references (those always link to GitHub).
struct TrackersConfig {
  Secret github_secret;  // GITHUB_WEBHOOK_SECRET (or _FILE, 0600): POST /webhooks/github
  Secret jira_secret;    // JIRA_WEBHOOK_SECRET (or _FILE): POST /webhooks/jira
  Secret linear_secret;  // LINEAR_WEBHOOK_SECRET (or _FILE): POST /webhooks/linear
  TrackerHomes homes;    // MICROALIGN_JIRA_URL, MICROALIGN_LINEAR_URL
};

struct Config {
  SlackConfig slack;
  TeamsConfig teams;
  TrackersConfig trackers;
  std::string http_addr = "127.0.0.1:3978";  // MICROALIGN_HTTP_ADDR: Teams' POST /api/messages
  std::string db_path = "./microalign.db";   // MICROALIGN_DB: a SQLite file …
  Secret postgres;  // … or a postgresql:// URI (MICROALIGN_DB or MICROALIGN_DB_FILE, 0600): then it is set
  int db_pool = 4;  // MICROALIGN_DB_POOL, 1..32: PostgreSQL connections (commit workers)
  log::Level log_level = log::Level::info;  // MICROALIGN_LOG
  log::Format log_format = log::Format::text;  // MICROALIGN_LOG_FORMAT
  ParseOptions parse;                       // MICROALIGN_TICKET_PREFIXES
  std::optional<SysTime> sandbox_start;     // MICROALIGN_SANDBOX_START: `sandbox`'s first moment
  // Not from the environment: how often quiet tickets are looked at, shortened only by tests.
  std::chrono::milliseconds nudge_tick{std::chrono::minutes(5)};
};

// True when MICROALIGN_DB names a PostgreSQL database (a libpq URI) rather than a SQLite file.
bool is_postgres_uri(std::string_view db);

// The database as logs and messages may name it: the SQLite file, or PostgreSQL's host and
// database without the user's password.
std::string database_label(const Config&);

// A configuration problem, phrased as one line that names the variable.
struct ConfigError {
  std::string message;
};

using Getenv = std::function<std::optional<std::string>(const std::string& name)>;
Getenv process_environment();

// Reads everything but the platforms' credentials (enough for `parse` and `export`).
std::variant<Config, ConfigError> load_config(const Getenv&);
// For `run`: also the credentials of each platform configured — Slack when either of its tokens
// is set (then both must be, well-formed), Teams when MicrosoftAppId is (then its password and
// tenant must be too). Neither configured is an error naming both.
std::variant<Config, ConfigError> load_config_with_tokens(const Getenv&);
bool slack_enabled(const Config&);

// Each platform's credentials on their own, as load_config_with_tokens reads them, for
// `microalign doctor`, which reports each platform's problem on its own line. Slack: when either
// token (or its _FILE) is set, both must be; Teams: when MicrosoftAppId is set, its password and
// tenant must be. A platform not configured is left as it was, without an error.
std::optional<ConfigError> load_slack_credentials(const Getenv&, SlackConfig&);
std::optional<ConfigError> load_teams_credentials(const Getenv&, TeamsConfig&);

// Debug-level description of the configuration with secrets redacted.
std::string describe(const Config&);

}  // namespace microalign
