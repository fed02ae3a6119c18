// Every knob in one struct, filled from the environment in one place (config.cpp).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <variant>
#include <string>
#include <vector>

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

struct Config {
  SlackConfig slack;
  std::string db_path = "./microalign.db";  // MICROALIGN_DB
  log::Level log_level = log::Level::info;  // MICROALIGN_LOG
  ParseOptions parse;                       // MICROALIGN_TICKET_PREFIXES
  // Not from the environment: how often quiet tickets are looked at, shortened only by tests.
  std::chrono::milliseconds nudge_tick{std::chrono::minutes(5)};
};

// A configuration problem, phrased as one line that names the variable.
struct ConfigError {
  std::string message;
};

using Getenv = std::function<std::optional<std::string>(const std::string& name)>;
Getenv process_environment();

// Reads everything but the Slack tokens (enough for `parse` and `export`).
std::variant<Config, ConfigError> load_config(const Getenv&);
// Also requires and checks both Slack tokens (for `run`).
std::variant<Config, ConfigError> load_config_with_tokens(const Getenv&);

// Debug-level description of the configuration with secrets redacted.
std::string describe(const Config&);

}  // namespace microalign
