#include "microalign/core/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "microalign/core/export.hpp"

namespace microalign {
namespace {

struct TokenSpec {
  const char* variable;
  const char* prefix;
  const char* what;  // how Slack names it, for the error line
};
constexpr TokenSpec app_token_spec{"SLACK_APP_TOKEN", "xapp-",
                                   "an app-level token (xapp-…, scope connections:write)"};
constexpr TokenSpec bot_token_spec{"SLACK_BOT_TOKEN", "xoxb-", "a bot token (xoxb-…)"};

// The kinds of Slack token by their prefix, to say which one was put in the wrong variable. A
// prefix is the documented shape of a token, not a part of its secret.
constexpr std::pair<const char*, const char*> token_kinds[] = {
    {"xoxb-", "a bot token (xoxb-…)"},
    {"xoxp-", "a user token (xoxp-…)"},
    {"xapp-", "an app-level token (xapp-…)"},
    {"xoxe.", "a rotating token (xoxe.…)"},
};

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// A token file must be private to its owner: a token readable by others is a leaked token.
std::variant<std::string, ConfigError> read_secret_file(const std::string& variable,
                                                        const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return ConfigError{variable + ": cannot read " + path};
  }
  if ((st.st_mode & 077) != 0) {
    return ConfigError{variable + ": " + path + " must not be readable by group or others (chmod 600 it)"};
  }
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  if (!in) return ConfigError{variable + ": cannot read " + path};
  return trim(content.str());
}

// The token from VARIABLE, or from the file named by VARIABLE_FILE. The error never includes
// the value: a malformed token is still a secret.
std::variant<Secret, ConfigError> load_token(const Getenv& env, const TokenSpec& spec) {
  std::string value;
  const std::string file_variable = std::string(spec.variable) + "_FILE";
  if (auto direct = env(spec.variable)) {
    value = trim(*direct);
  } else if (auto file = env(file_variable)) {
    auto read = read_secret_file(file_variable, *file);
    if (auto* error = std::get_if<ConfigError>(&read)) return *error;
    value = std::get<std::string>(read);
  }
  if (value.empty()) {
    return ConfigError{std::string(spec.variable) + " is not set: it must hold " + spec.what +
                       " (or set " + file_variable + " to a file holding it)"};
  }
  const bool well_formed =
      value.starts_with(spec.prefix) && value.size() > std::string_view(spec.prefix).size() + 8 &&
      std::all_of(value.begin(), value.end(),
                  [](unsigned char c) { return std::isalnum(c) || c == '-'; });
  if (!well_formed) {
    std::string holds;
    for (const auto& [prefix, kind] : token_kinds) {
      if (value.starts_with(prefix) && std::string_view(prefix) != spec.prefix) holds = std::string(", not ") + kind;
    }
    return ConfigError{std::string(spec.variable) + " is malformed: it must be " + spec.what + holds};
  }
  return Secret(std::move(value));
}

// The secret from VARIABLE, or from the file named by VARIABLE_FILE; empty when neither is set.
std::variant<std::string, ConfigError> read_secret(const Getenv& env, const std::string& variable) {
  if (auto direct = env(variable)) return trim(*direct);
  if (auto file = env(variable + "_FILE")) return read_secret_file(variable + "_FILE", *file);
  return std::string{};
}

bool https_url(const std::string& url) { return url.starts_with("https://") && url.size() > 8; }

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> items;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = trim(item);
    std::transform(item.begin(), item.end(), item.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

// The trackers' webhook secrets and home URLs.
std::optional<ConfigError> load_trackers(const Getenv& env, TrackersConfig& trackers) {
  for (auto [variable, secret] : {std::pair{"GITHUB_WEBHOOK_SECRET", &trackers.github_secret},
                                  std::pair{"JIRA_WEBHOOK_SECRET", &trackers.jira_secret},
                                  std::pair{"LINEAR_WEBHOOK_SECRET", &trackers.linear_secret}}) {
    auto value = read_secret(env, variable);
    if (auto* error = std::get_if<ConfigError>(&value)) return *error;
    *secret = Secret(std::get<std::string>(std::move(value)));
  }
  for (auto [variable, url] : {std::pair{"MICROALIGN_JIRA_URL", &trackers.homes.jira_url},
                               std::pair{"MICROALIGN_LINEAR_URL", &trackers.homes.linear_url}}) {
    const auto value = env(variable);
    if (!value || value->empty()) continue;
    if (!https_url(*value) || value->find_first_of(" \t\"<>") != std::string::npos) {
      return ConfigError{std::string(variable) + " must be an https:// URL such as " +
                         (url == &trackers.homes.jira_url ? "https://acme.atlassian.net" : "https://linear.app/acme") +
                         " (got " + *value + ")"};
    }
    *url = *value;
  }
  return std::nullopt;
}

bool is_set(const Getenv& env, const char* variable) {
  return env(variable).has_value() || env(std::string(variable) + "_FILE").has_value();
}

bool slack_wanted(const Getenv& env) {
  return is_set(env, app_token_spec.variable) || is_set(env, bot_token_spec.variable);
}

}  // namespace

std::optional<ConfigError> load_teams_credentials(const Getenv& env, TeamsConfig& teams) {
  teams.app_id = trim(env("MicrosoftAppId").value_or(""));
  if (!teams.enabled()) return std::nullopt;
  auto password = read_secret(env, "MicrosoftAppPassword");
  if (auto* error = std::get_if<ConfigError>(&password)) return *error;
  if (std::get<std::string>(password).empty()) {
    return ConfigError{
        "MicrosoftAppPassword is not set: Teams needs the bot's client secret with MicrosoftAppId "
        "(or set MicrosoftAppPassword_FILE to a file holding it)"};
  }
  teams.app_password = Secret(std::get<std::string>(std::move(password)));
  teams.tenant_id = trim(env("MicrosoftAppTenantId").value_or(""));
  if (teams.tenant_id.empty()) {
    return ConfigError{
        "MicrosoftAppTenantId is not set: Teams needs the single-tenant bot's tenant id with "
        "MicrosoftAppId"};
  }
  if (auto metadata = env("BotOpenIdMetadata")) teams.openid_metadata_url = trim(*metadata);
  if (!https_url(teams.openid_metadata_url)) {
    return ConfigError{"BotOpenIdMetadata must be an https:// URL (got " + teams.openid_metadata_url + ")"};
  }
  if (auto login = env("ToChannelFromBotLoginUrl")) {
    teams.login_url = trim(*login);
    if (!https_url(teams.login_url)) {
      return ConfigError{"ToChannelFromBotLoginUrl must be an https:// URL (got " + teams.login_url + ")"};
    }
  }
  return std::nullopt;
}

std::optional<ConfigError> load_slack_credentials(const Getenv& env, SlackConfig& slack) {
  if (!slack_wanted(env)) return std::nullopt;
  auto app = load_token(env, app_token_spec);
  if (auto* error = std::get_if<ConfigError>(&app)) return *error;
  auto bot = load_token(env, bot_token_spec);
  if (auto* error = std::get_if<ConfigError>(&bot)) return *error;
  slack.app_token = std::get<Secret>(app);
  slack.bot_token = std::get<Secret>(bot);
  return std::nullopt;
}

Getenv process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

std::variant<Config, ConfigError> load_config(const Getenv& env) {
  Config config;
  if (auto url = env("SLACK_API_URL")) {
    if (!url->starts_with("https://")) {
      return ConfigError{"SLACK_API_URL must be an https:// URL (got " + *url + ")"};
    }
    config.slack.api_url = *url;
    if (!config.slack.api_url.ends_with('/')) config.slack.api_url += '/';
  }
  // A PostgreSQL URI may hold its password: it can come from a 0600 file, and is kept a Secret.
  auto db = read_secret(env, "MICROALIGN_DB");
  if (auto* error = std::get_if<ConfigError>(&db)) return *error;
  if (auto& named = std::get<std::string>(db); is_postgres_uri(named)) {
    config.postgres = Secret(std::move(named));
  } else if (!named.empty()) {
    config.db_path = std::move(named);
  }
  if (auto pool = env("MICROALIGN_DB_POOL")) {
    int n = 0;
    std::istringstream in(*pool);
    if (!(in >> n) || !in.eof() || n < 1 || n > 32) {
      return ConfigError{"MICROALIGN_DB_POOL must be a number from 1 to 32 (got " + *pool + ")"};
    }
    config.db_pool = n;
  }
  if (auto address = env("MICROALIGN_HTTP_ADDR")) {
    const auto colon = address->rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address->size()) {
      return ConfigError{"MICROALIGN_HTTP_ADDR must be host:port, e.g. 127.0.0.1:3978 (got " + *address + ")"};
    }
    config.http_addr = *address;
  }
  if (auto level = env("MICROALIGN_LOG")) {
    auto parsed = log::level_from_string(*level);
    if (!parsed) {
      return ConfigError{"MICROALIGN_LOG must be one of debug, info, warn, error (got " + *level + ")"};
    }
    config.log_level = *parsed;
  }
  if (auto format = env("MICROALIGN_LOG_FORMAT")) {
    auto parsed = log::format_from_string(*format);
    if (!parsed) return ConfigError{"MICROALIGN_LOG_FORMAT must be text or json (got " + *format + ")"};
    config.log_format = *parsed;
  }
  if (auto prefixes = env("MICROALIGN_TICKET_PREFIXES")) {
    config.parse.ticket_prefixes = split_list(*prefixes);
  }
  if (auto start = env("MICROALIGN_SANDBOX_START")) {
    config.sandbox_start = parse_rfc3339(*start);
    if (!config.sandbox_start) {
      return ConfigError{"MICROALIGN_SANDBOX_START must be a time such as 2026-06-10T09:00:00Z (got " + *start + ")"};
    }
  }
  if (auto error = load_trackers(env, config.trackers)) return *error;
  if (auto count = env("MICROALIGN_CONNECTIONS")) {
    int n = 0;
    std::istringstream in(*count);
    if (!(in >> n) || !in.eof() || n < 1 || n > 10) {
      return ConfigError{"MICROALIGN_CONNECTIONS must be a number from 1 to 10 (got " + *count + ")"};
    }
    config.slack.connections = n;
  }
  return config;
}

std::string TeamsConfig::token_url() const {
  auto base = login_url.empty() ? "https://login.microsoftonline.com/" + tenant_id : login_url;
  if (base.ends_with('/')) base.pop_back();
  return base + "/oauth2/v2.0/token";
}

bool slack_enabled(const Config& config) { return !config.slack.bot_token.empty(); }

bool is_postgres_uri(std::string_view db) { return db.starts_with("postgresql://") || db.starts_with("postgres://"); }

std::string database_label(const Config& config) {
  if (config.postgres.empty()) return config.db_path;
  // postgresql://[user[:password]@]host…?params: parameters may hold a password (?password=…),
  // and so may everything up to the last '@' before them (a password with an unencoded '@' or '/'
  // in it, which libpq would misread, must not show either): both are left out.
  std::string_view uri = config.postgres.reveal();
  uri.remove_prefix(uri.find("://") + 3);
  uri = uri.substr(0, uri.find('?'));
  if (const auto at = uri.rfind('@'); at != std::string_view::npos) uri.remove_prefix(at + 1);
  return "postgresql://" + std::string(uri);
}

std::variant<Config, ConfigError> load_config_with_tokens(const Getenv& env) {
  auto loaded = load_config(env);
  if (std::holds_alternative<ConfigError>(loaded)) return loaded;
  auto& config = std::get<Config>(loaded);
  if (auto error = load_teams_credentials(env, config.teams)) return *error;
  if (!slack_wanted(env) && !config.teams.enabled()) {
    return ConfigError{
        "no platform is configured: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN for Slack, or "
        "MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId for Teams"};
  }
  if (auto error = load_slack_credentials(env, config.slack)) return *error;
  return config;
}

std::string describe(const Config& c) {
  std::string prefixes;
  for (const auto& p : c.parse.ticket_prefixes) prefixes += (prefixes.empty() ? "" : ",") + p;
  return "api_url=" + c.slack.api_url + " connections=" + std::to_string(c.slack.connections) +
         " db=" + database_label(c) + " db_pool=" + std::to_string(c.db_pool) +
         " ticket_prefixes=" + (prefixes.empty() ? "(any)" : prefixes) +
         " app_token=" + (c.slack.app_token.empty() ? "(unset)" : "(set)") +
         " bot_token=" + (c.slack.bot_token.empty() ? "(unset)" : "(set)") + " http_addr=" + c.http_addr +
         " teams_app_id=" + (c.teams.enabled() ? c.teams.app_id : "(unset)") +
         " teams_password=" + (c.teams.app_password.empty() ? "(unset)" : "(set)") +
         " teams_tenant=" + c.teams.tenant_id + " openid_metadata=" + c.teams.openid_metadata_url +
         " token_url=" + (c.teams.enabled() ? c.teams.token_url() : "(unset)") +
         " github_webhook_secret=" + (c.trackers.github_secret.empty() ? "(unset)" : "(set)") +
         " jira_webhook_secret=" + (c.trackers.jira_secret.empty() ? "(unset)" : "(set)") +
         " linear_webhook_secret=" + (c.trackers.linear_secret.empty() ? "(unset)" : "(set)") +
         " jira_url=" + (c.trackers.homes.jira_url.empty() ? "(unset)" : c.trackers.homes.jira_url) +
         " linear_url=" + (c.trackers.homes.linear_url.empty() ? "(unset)" : c.trackers.homes.linear_url);
}

}  // namespace microalign
