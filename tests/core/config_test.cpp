#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sys/stat.h>

#include "microalign/core/config.hpp"

using namespace microalign;

namespace {

const std::string app_token = "xapp-1-A111-222-abcdef0123";
const std::string bot_token = "xoxb-111-222-abcdefABCDEF";

Getenv env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_of(const std::variant<Config, ConfigError>& r) {
  REQUIRE(std::holds_alternative<ConfigError>(r));
  return std::get<ConfigError>(r).message;
}

}  // namespace

TEST_CASE("defaults", "[config]") {
  auto r = load_config(env_of({}));
  REQUIRE(std::holds_alternative<Config>(r));
  const auto& c = std::get<Config>(r);
  CHECK(c.slack.api_url == "https://slack.com/api/");
  CHECK(c.db_path == "./microalign.db");
  CHECK(c.log_level == log::Level::info);
  CHECK(c.slack.connections == 2);
  CHECK(c.parse.ticket_prefixes.empty());
}

TEST_CASE("every variable is read", "[config]") {
  auto r = load_config_with_tokens(env_of({{"SLACK_APP_TOKEN", app_token},
                                           {"SLACK_BOT_TOKEN", bot_token},
                                           {"SLACK_API_URL", "https://127.0.0.1:8443/api"},
                                           {"MICROALIGN_DB", "/tmp/x.db"},
                                           {"MICROALIGN_LOG", "debug"},
                                           {"MICROALIGN_TICKET_PREFIXES", " eng, OPS ,,"},
                                           {"MICROALIGN_CONNECTIONS", "3"}}));
  REQUIRE(std::holds_alternative<Config>(r));
  const auto& c = std::get<Config>(r);
  CHECK(c.slack.app_token.reveal() == app_token);
  CHECK(c.slack.bot_token.reveal() == bot_token);
  CHECK(c.slack.api_url == "https://127.0.0.1:8443/api/");
  CHECK(c.db_path == "/tmp/x.db");
  CHECK(c.log_level == log::Level::debug);
  CHECK(c.parse.ticket_prefixes == std::vector<std::string>{"ENG", "OPS"});
  CHECK(c.slack.connections == 3);
}

TEST_CASE("a missing or malformed token names its variable and never echoes the value", "[config]") {
  CHECK(error_of(load_config_with_tokens(env_of({{"SLACK_BOT_TOKEN", bot_token}}))).starts_with("SLACK_APP_TOKEN is not set"));
  CHECK(error_of(load_config_with_tokens(env_of({{"SLACK_APP_TOKEN", app_token}}))).starts_with("SLACK_BOT_TOKEN is not set"));
  const std::string swapped = error_of(
      load_config_with_tokens(env_of({{"SLACK_APP_TOKEN", bot_token}, {"SLACK_BOT_TOKEN", app_token}})));
  CHECK(swapped.starts_with("SLACK_APP_TOKEN is malformed"));
  CHECK(swapped.find(bot_token) == std::string::npos);
  const std::string junk = error_of(load_config_with_tokens(
      env_of({{"SLACK_APP_TOKEN", app_token}, {"SLACK_BOT_TOKEN", "xoxb-secret value with spaces"}})));
  CHECK(junk.starts_with("SLACK_BOT_TOKEN is malformed"));
  CHECK(junk.find("secret") == std::string::npos);
}

TEST_CASE("other bad values are named", "[config]") {
  CHECK(error_of(load_config(env_of({{"SLACK_API_URL", "http://slack.com/api/"}}))).starts_with("SLACK_API_URL"));
  CHECK(error_of(load_config(env_of({{"MICROALIGN_LOG", "loud"}}))).starts_with("MICROALIGN_LOG"));
  for (auto n : {"0", "11", "two", "2x"}) {
    CHECK(error_of(load_config(env_of({{"MICROALIGN_CONNECTIONS", n}}))).starts_with("MICROALIGN_CONNECTIONS"));
  }
}

TEST_CASE("tokens can come from private files only", "[config]") {
  const auto dir = std::filesystem::temp_directory_path() / ("microalign-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "app-token").string();
  std::ofstream(path) << app_token << "\n";
  ::chmod(path.c_str(), 0600);
  auto ok = load_config_with_tokens(env_of({{"SLACK_APP_TOKEN_FILE", path}, {"SLACK_BOT_TOKEN", bot_token}}));
  REQUIRE(std::holds_alternative<Config>(ok));
  CHECK(std::get<Config>(ok).slack.app_token.reveal() == app_token);

  ::chmod(path.c_str(), 0644);
  CHECK(error_of(load_config_with_tokens(env_of({{"SLACK_APP_TOKEN_FILE", path}, {"SLACK_BOT_TOKEN", bot_token}})))
            .find("chmod 600") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("describe() shows settings but not secrets", "[config]") {
  auto r = load_config_with_tokens(env_of({{"SLACK_APP_TOKEN", app_token}, {"SLACK_BOT_TOKEN", bot_token}}));
  const auto text = describe(std::get<Config>(r));
  CHECK(text.find("app_token=(set)") != std::string::npos);
  CHECK(text.find(app_token) == std::string::npos);
  CHECK(text.find(bot_token) == std::string::npos);
}

TEST_CASE("Teams from the Bot Framework SDK's own variables", "[config][teams]") {
  const std::map<std::string, std::string> teams{
      {"MicrosoftAppId", "app-id"}, {"MicrosoftAppPassword", "s3cret~value"}, {"MicrosoftAppTenantId", "tenant-1"}};
  auto r = load_config_with_tokens(env_of(teams));
  REQUIRE(std::holds_alternative<Config>(r));
  const auto& c = std::get<Config>(r);
  CHECK(c.teams.enabled());
  CHECK_FALSE(slack_enabled(c));  // Teams alone
  CHECK(c.teams.app_password.reveal() == "s3cret~value");
  CHECK(c.teams.token_url() == "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token");
  CHECK(c.teams.openid_metadata_url == "https://login.botframework.com/v1/.well-known/openidconfiguration");
  CHECK(c.http_addr == "127.0.0.1:3978");
  CHECK(describe(c).find("s3cret") == std::string::npos);

  auto both = teams;
  both["SLACK_APP_TOKEN"] = app_token;
  both["SLACK_BOT_TOKEN"] = bot_token;
  both["ToChannelFromBotLoginUrl"] = "https://login.example/tenant-1/";
  both["MICROALIGN_HTTP_ADDR"] = "0.0.0.0:8080";
  auto b = load_config_with_tokens(env_of(both));
  REQUIRE(std::holds_alternative<Config>(b));
  CHECK(slack_enabled(std::get<Config>(b)));
  CHECK(std::get<Config>(b).teams.enabled());
  CHECK(std::get<Config>(b).teams.token_url() == "https://login.example/tenant-1/oauth2/v2.0/token");
  CHECK(std::get<Config>(b).http_addr == "0.0.0.0:8080");
}

TEST_CASE("Teams settings that cannot work are one line naming the variable", "[config][teams]") {
  const auto without = [](std::string variable) {
    std::map<std::string, std::string> vars{
        {"MicrosoftAppId", "app-id"}, {"MicrosoftAppPassword", "s3cret"}, {"MicrosoftAppTenantId", "tenant-1"}};
    vars.erase(variable);
    return vars;
  };
  CHECK(error_of(load_config_with_tokens(env_of(without("MicrosoftAppPassword"))))
            .starts_with("MicrosoftAppPassword is not set"));
  CHECK(error_of(load_config_with_tokens(env_of(without("MicrosoftAppTenantId"))))
            .starts_with("MicrosoftAppTenantId is not set"));
  auto http = without("");
  http["BotOpenIdMetadata"] = "http://login.example/meta";
  CHECK(error_of(load_config_with_tokens(env_of(http))).starts_with("BotOpenIdMetadata must be an https:// URL"));
  auto address = without("");
  address["MICROALIGN_HTTP_ADDR"] = "3978";
  CHECK(error_of(load_config_with_tokens(env_of(address))).starts_with("MICROALIGN_HTTP_ADDR must be host:port"));

  const auto neither = error_of(load_config_with_tokens(env_of({})));
  CHECK(neither.find("SLACK_APP_TOKEN") != std::string::npos);
  CHECK(neither.find("MicrosoftAppId") != std::string::npos);
}

TEST_CASE("MICROALIGN_LOG_FORMAT is text or json", "[config][log]") {
  CHECK(std::get<Config>(load_config(env_of({}))).log_format == log::Format::text);
  CHECK(std::get<Config>(load_config(env_of({{"MICROALIGN_LOG_FORMAT", "json"}}))).log_format == log::Format::json);
  CHECK(std::get<Config>(load_config(env_of({{"MICROALIGN_LOG_FORMAT", "text"}}))).log_format == log::Format::text);
  CHECK(error_of(load_config(env_of({{"MICROALIGN_LOG_FORMAT", "logfmt"}}))) ==
        "MICROALIGN_LOG_FORMAT must be text or json (got logfmt)");
}

TEST_CASE("a token of the wrong kind is named by its kind, never by its value", "[config][doctor]") {
  const std::string user_token = "xoxp-111-222-333-abcdef";
  const auto wrong =
      error_of(load_config_with_tokens(env_of({{"SLACK_APP_TOKEN", app_token}, {"SLACK_BOT_TOKEN", user_token}})));
  CHECK(wrong == "SLACK_BOT_TOKEN is malformed: it must be a bot token (xoxb-…), not a user token (xoxp-…)");
  const auto swapped =
      error_of(load_config_with_tokens(env_of({{"SLACK_APP_TOKEN", bot_token}, {"SLACK_BOT_TOKEN", bot_token}})));
  CHECK(swapped ==
        "SLACK_APP_TOKEN is malformed: it must be an app-level token (xapp-…, scope connections:write), not a bot "
        "token (xoxb-…)");
  // A token of the right kind but mangled says nothing more.
  CHECK(error_of(load_config_with_tokens(
            env_of({{"SLACK_APP_TOKEN", app_token}, {"SLACK_BOT_TOKEN", "xoxb-a b c d e f g h"}}))) ==
        "SLACK_BOT_TOKEN is malformed: it must be a bot token (xoxb-…)");
}

TEST_CASE("each platform's credentials load on their own", "[config][doctor]") {
  SlackConfig slack;
  CHECK_FALSE(load_slack_credentials(env_of({}), slack));
  CHECK(slack.bot_token.empty());
  CHECK_FALSE(load_slack_credentials(env_of({{"SLACK_APP_TOKEN", app_token}, {"SLACK_BOT_TOKEN", bot_token}}), slack));
  CHECK(slack.bot_token.reveal() == bot_token);
  SlackConfig half;
  const auto missing = load_slack_credentials(env_of({{"SLACK_BOT_TOKEN", bot_token}}), half);
  REQUIRE(missing);
  CHECK(missing->message.starts_with("SLACK_APP_TOKEN is not set"));

  TeamsConfig teams;
  CHECK_FALSE(load_teams_credentials(env_of({}), teams));
  CHECK_FALSE(teams.enabled());
  const auto no_tenant =
      load_teams_credentials(env_of({{"MicrosoftAppId", "app-id"}, {"MicrosoftAppPassword", "s3cret"}}), teams);
  REQUIRE(no_tenant);
  CHECK(no_tenant->message.starts_with("MicrosoftAppTenantId is not set"));
}

TEST_CASE("MICROALIGN_SANDBOX_START sets the sandbox clock's start, and a bad one is named", "[config]") {
  auto r = load_config(env_of({{"MICROALIGN_SANDBOX_START", "2026-06-10T09:00:00Z"}}));
  REQUIRE(std::holds_alternative<Config>(r));
  REQUIRE(std::get<Config>(r).sandbox_start.has_value());
  CHECK(std::get<Config>(r).sandbox_start->time_since_epoch() == std::chrono::milliseconds(1781082000000));
  CHECK_FALSE(std::get<Config>(load_config(env_of({}))).sandbox_start.has_value());
  CHECK(error_of(load_config(env_of({{"MICROALIGN_SANDBOX_START", "next tuesday"}})))
            .starts_with("MICROALIGN_SANDBOX_START"));
}

TEST_CASE("every secret's file is refused when its group or others may read it, without showing the secret",
          "[config][security]") {
  const auto dir = std::filesystem::temp_directory_path() / ("microalign-secret-files-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string password = "s3cret~in~a~file";
  const std::map<std::string, std::string> secrets{
      {"SLACK_APP_TOKEN", app_token}, {"SLACK_BOT_TOKEN", bot_token}, {"MicrosoftAppPassword", password}};
  std::map<std::string, std::string> env{{"MicrosoftAppId", "app-id"}, {"MicrosoftAppTenantId", "tenant-1"}};
  for (const auto& [variable, secret] : secrets) {
    const auto path = (dir / variable).string();
    std::ofstream(path) << secret << "\n";
    env[variable + "_FILE"] = path;
  }
  for (const auto& [variable, secret] : secrets) {
    const auto path = (dir / variable).string();
    for (const mode_t mode : {0640, 0604, 0644, 0660}) {
      INFO(variable << " mode " << std::oct << mode);
      for (const auto& [other, unused] : secrets) ::chmod((dir / other).string().c_str(), 0600);
      ::chmod(path.c_str(), mode);
      const auto error = error_of(load_config_with_tokens(env_of(env)));
      CHECK(error.starts_with(variable + "_FILE: " + path));
      CHECK(error.find("chmod 600") != std::string::npos);
      CHECK(error.find(secret) == std::string::npos);
    }
  }
  for (const mode_t mode : {0600, 0400}) {
    for (const auto& [variable, unused] : secrets) ::chmod((dir / variable).string().c_str(), mode);
    auto ok = load_config_with_tokens(env_of(env));
    REQUIRE(std::holds_alternative<Config>(ok));
    CHECK(std::get<Config>(ok).teams.app_password.reveal() == password);
    CHECK(std::get<Config>(ok).slack.bot_token.reveal() == bot_token);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("MICROALIGN_DB may be a PostgreSQL URI, under either scheme", "[config][postgres]") {
  for (const std::string uri : {"postgresql://bot:pw@db.internal:5432/microalign", "postgres://bot:pw@db.internal/m"}) {
    INFO(uri);
    auto r = load_config(env_of({{"MICROALIGN_DB", uri}}));
    REQUIRE(std::holds_alternative<Config>(r));
    const auto& c = std::get<Config>(r);
    CHECK(is_postgres_uri(uri));
    CHECK(c.postgres.reveal() == uri);
    CHECK(c.db_path == "./microalign.db");  // untouched: the file is not used
    CHECK(c.db_pool == 4);
  }
  // Anything else is a SQLite file, even a name that only looks like a URI.
  for (const std::string path : {"/var/lib/microalign/bot.db", "postgresql.db", "mysql://x@y/z"}) {
    INFO(path);
    auto r = load_config(env_of({{"MICROALIGN_DB", path}}));
    REQUIRE(std::holds_alternative<Config>(r));
    CHECK(std::get<Config>(r).postgres.empty());
    CHECK(std::get<Config>(r).db_path == path);
  }
}

TEST_CASE("MICROALIGN_DB_FILE holds the URI in a private file only, never shown", "[config][postgres][security]") {
  const auto dir = std::filesystem::temp_directory_path() / ("microalign-db-file-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "db-uri").string();
  const std::string uri = "postgresql://bot:file~password@db.internal:5432/microalign";
  std::ofstream(path) << uri << "\n";
  ::chmod(path.c_str(), 0600);
  auto ok = load_config(env_of({{"MICROALIGN_DB_FILE", path}}));
  REQUIRE(std::holds_alternative<Config>(ok));
  CHECK(std::get<Config>(ok).postgres.reveal() == uri);  // the newline trimmed

  for (const mode_t mode : {0640, 0604, 0644}) {
    INFO("mode " << std::oct << mode);
    ::chmod(path.c_str(), mode);
    const auto error = error_of(load_config(env_of({{"MICROALIGN_DB_FILE", path}})));
    CHECK(error == "MICROALIGN_DB_FILE: " + path + " must not be readable by group or others (chmod 600 it)");
    CHECK(error.find("file~password") == std::string::npos);
  }
  CHECK(error_of(load_config(env_of({{"MICROALIGN_DB_FILE", (dir / "missing").string()}})))
            .starts_with("MICROALIGN_DB_FILE: cannot read"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("MICROALIGN_DB_POOL is 1 to 32 connections, anything else refused by name", "[config][postgres]") {
  for (const auto& [text, n] : {std::pair{"1", 1}, std::pair{"8", 8}, std::pair{"32", 32}}) {
    auto r = load_config(env_of({{"MICROALIGN_DB", "postgresql://db.internal/m"}, {"MICROALIGN_DB_POOL", text}}));
    REQUIRE(std::holds_alternative<Config>(r));
    CHECK(std::get<Config>(r).db_pool == n);
  }
  for (const std::string bad : {"0", "33", "-1", "four", "4x", "1.5", " "}) {
    INFO("'" << bad << "'");
    CHECK(error_of(load_config(env_of({{"MICROALIGN_DB_POOL", bad}}))) ==
          "MICROALIGN_DB_POOL must be a number from 1 to 32 (got " + bad + ")");
  }
}

TEST_CASE("database_label and describe() name the PostgreSQL server without its password", "[config][security]") {
  const auto label = [](const std::string& db) {
    return database_label(std::get<Config>(load_config(env_of({{"MICROALIGN_DB", db}}))));
  };
  CHECK(label("/var/lib/microalign/bot.db") == "/var/lib/microalign/bot.db");
  CHECK(label("postgresql://db.internal:5432/microalign") == "postgresql://db.internal:5432/microalign");
  CHECK(label("postgresql://bot:hunter2pw@db.internal:5432/microalign") == "postgresql://db.internal:5432/microalign");
  CHECK(label("postgres://bot@db.internal/microalign") == "postgresql://db.internal/microalign");
  CHECK(label("postgresql://db.internal/microalign?user=bot&password=hunter2pw") ==
        "postgresql://db.internal/microalign");
  CHECK(label("postgresql://bot@db.internal/m?password=hunter2@pw") == "postgresql://db.internal/m");
  // A password libpq would misread (an unencoded '@' or '/') still shows no part of itself.
  CHECK(label("postgresql://bot:hunter2@pw@db.internal/m") == "postgresql://db.internal/m");
  CHECK(label("postgresql://bot:hunt/er2@db.internal/m") == "postgresql://db.internal/m");

  auto r = load_config(env_of({{"MICROALIGN_DB", "postgresql://bot:hunter2pw@db.internal:5432/m?sslmode=verify-full"},
                               {"MICROALIGN_DB_POOL", "6"}}));
  const auto text = describe(std::get<Config>(r));
  CHECK(text.find("db=postgresql://db.internal:5432/m db_pool=6") != std::string::npos);
  CHECK(text.find("hunter2pw") == std::string::npos);
  CHECK(text.find("bot:") == std::string::npos);
}

TEST_CASE("trackers: webhook secrets are secrets, and their home URLs must be https", "[config][trackers]") {
  auto r = load_config(env_of({{"GITHUB_WEBHOOK_SECRET", " gh-secret \n"},
                               {"LINEAR_WEBHOOK_SECRET", "lin-secret"},
                               {"MICROALIGN_JIRA_URL", "https://acme.atlassian.net/"}}));
  REQUIRE(std::holds_alternative<Config>(r));
  const auto& c = std::get<Config>(r);
  CHECK(c.trackers.github_secret.reveal() == "gh-secret");
  CHECK(c.trackers.jira_secret.empty());
  CHECK(c.trackers.linear_secret.reveal() == "lin-secret");
  CHECK(c.trackers.homes.jira_url == "https://acme.atlassian.net/");
  CHECK(c.trackers.homes.linear_url.empty());
  const auto described = describe(c);
  CHECK(described.find("gh-secret") == std::string::npos);
  CHECK(described.find("github_webhook_secret=(set)") != std::string::npos);
  CHECK(described.find("jira_webhook_secret=(unset)") != std::string::npos);

  CHECK(
      error_of(load_config(env_of({{"MICROALIGN_JIRA_URL", "http://acme.atlassian.net"}}))) ==
      "MICROALIGN_JIRA_URL must be an https:// URL such as https://acme.atlassian.net (got http://acme.atlassian.net)");
  CHECK(error_of(load_config(env_of({{"MICROALIGN_LINEAR_URL", "https://linear.app/acme team"}})))
            .starts_with("MICROALIGN_LINEAR_URL must be an https:// URL such as https://linear.app/acme"));
  CHECK(error_of(load_config(env_of({{"JIRA_WEBHOOK_SECRET_FILE", "/nonexistent/secret"}}))) ==
        "JIRA_WEBHOOK_SECRET_FILE: cannot read /nonexistent/secret");
}
