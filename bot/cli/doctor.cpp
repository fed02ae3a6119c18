// `microalign doctor`: every check of a set-up that applies to what is configured, one line
// each, and for each failure what to do about it. The checks use the clients `run` uses (the
// Web API, Socket Mode's WSS connection, the Teams token client and signing keys, SQLite or
// PostgreSQL, the HTTP listener), each network step under a deadline, and never print a secret.
#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <date/tz.h>
#include <filesystem>
#include <iostream>
#include <variant>

#include "cli.hpp"
#include "microalign/app/clock.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/log.hpp"
#include "microalign/net/http_server.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/net/url.hpp"
#include "microalign/net/websocket.hpp"
#include "microalign/slack/frames.hpp"
#include "microalign/slack/scopes.hpp"
#include "microalign/slack/web_api.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "microalign/teams/openid_keys.hpp"
#include "microalign/teams/token_client.hpp"

namespace microalign::cli {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using slack::ApiReply;

constexpr const char* help = R"(Usage: microalign doctor

Checks the set-up in the environment, as `microalign run` would use it, and prints one line
per check: ok, FAIL with what to do about it, or skip when it does not apply.

  Slack (when SLACK_APP_TOKEN or SLACK_BOT_TOKEN is set):
    slack tokens       both set and of the right kind (xapp-…, xoxb-…)
    slack bot token    auth.test accepts SLACK_BOT_TOKEN, and it is the bot's
    slack bot scopes   it has every scope deploy/slack-manifest.yml asks for
    slack socket mode  apps.connections.open accepts SLACK_APP_TOKEN, and Slack says hello
                       on the WSS connection it gives
  Teams (when MicrosoftAppId is set):
    teams credentials  MicrosoftAppPassword and MicrosoftAppTenantId set
    teams login        the login endpoint gives a Bot Connector token for them
    teams signing keys the Bot Framework's keys come from BotOpenIdMetadata
  Always:
    database           MICROALIGN_DB can be created or written, at a schema version this
                       binary can use (it is only read: nothing is migrated); for a
                       PostgreSQL URI: the server accepts the connection, and its schema
                       is microalign's (or empty)
    time zones         the time-zone database (tzdata) is installed
    listener           MICROALIGN_HTTP_ADDR can be bound (so: not while the bot runs)
  Trackers (when GITHUB_WEBHOOK_SECRET, JIRA_WEBHOOK_SECRET or LINEAR_WEBHOOK_SECRET is set):
    trackers           each secret set is long enough to withstand guessing (16 characters or
                       more), and which webhook endpoints are on

Each network step gives up after 10 seconds. No secret is ever printed.

Exit status: 0 when every check passes, 1 when any fails (a missing or malformed token
included), 2 when the configuration cannot be read at all (such as MICROALIGN_LOG=loud).
)";

constexpr auto network_timeout = std::chrono::seconds(10);

enum class Outcome { ok, fail, skip };

// One line of the report. For a failure `text` says what was found, then what to do.
struct Check {
  std::string name;
  Outcome outcome;
  std::string text;
};

Check ok(std::string name, std::string text) { return {std::move(name), Outcome::ok, std::move(text)}; }
Check fail(std::string name, std::string text) { return {std::move(name), Outcome::fail, std::move(text)}; }
Check skip(std::string name, std::string text) { return {std::move(name), Outcome::skip, std::move(text)}; }

class Report {
 public:
  void add(const Check& check) {
    const char* label = check.outcome == Outcome::ok ? "ok  " : check.outcome == Outcome::fail ? "FAIL" : "skip";
    std::cout << label << " " << check.name << ": " << check.text << std::endl;  // shown as it comes
    ++counts_[static_cast<int>(check.outcome)];
  }
  int finish() const {
    const int failed = counts_[static_cast<int>(Outcome::fail)];
    const int done = counts_[static_cast<int>(Outcome::ok)] + failed;
    if (failed == 0) {
      std::cout << "All " << done << " checks passed.\n";
      return 0;
    }
    std::cout << failed << " of " << done << " checks failed.\n";
    return 1;
  }

 private:
  int counts_[3] = {0, 0, 0};
};

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool token_refused(const std::string& error) {
  return error == "invalid_auth" || error == "not_authed" || error == "token_revoked" || error == "token_expired" ||
         error == "account_inactive";
}

// A call that did not get an answer from Slack at all: the network, TLS or the deadline.
std::string unreachable(const SlackConfig& slack, const ApiReply& reply) {
  return "cannot reach " + slack.api_url + " (" + reply.error +
         "): allow outbound HTTPS to slack.com, and check SLACK_API_URL and the trusted CAs (SSL_CERT_FILE)";
}

// ---- Slack

Check slack_bot_token(const SlackConfig& slack, const ApiReply& auth) {
  const std::string name = "slack bot token";
  if (auth.ok) {
    const std::string who = "@" + json_string_member(auth.body, "user", "?") + " (" +
                            json_string_member(auth.body, "user_id", "?") + ") in " +
                            json_string_member(auth.body, "team", "?") + " (" +
                            json_string_member(auth.body, "team_id", "?") + ")";
    if (json_string_member(auth.body, "bot_id").empty()) {
      return fail(name, "SLACK_BOT_TOKEN belongs to " + who +
                            ", a user, not the app's bot: copy the Bot User OAuth Token (xoxb-…) from OAuth & "
                            "Permissions");
    }
    return ok(name, "the bot " + who);
  }
  if (auth.http_status == 0) return fail(name, unreachable(slack, auth));
  if (token_refused(auth.error)) {
    return fail(name, "SLACK_BOT_TOKEN was rejected by Slack (" + auth.error +
                          "): reinstall the app and copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions");
  }
  if (auth.error == "not_allowed_token_type") {
    return fail(name,
                "SLACK_BOT_TOKEN is not a bot token (not_allowed_token_type): copy the Bot User OAuth Token "
                "(xoxb-…) from OAuth & Permissions");
  }
  return fail(name, "auth.test failed (" + auth.error + "): try again; if it persists, see https://status.slack.com");
}

Check slack_bot_scopes(const ApiReply& auth) {
  const std::string name = "slack bot scopes";
  if (!auth.ok) return skip(name, "not checked: the bot token check did not pass");
  if (!auth.token_scopes) return skip(name, "Slack did not list the token's scopes (no x-oauth-scopes header)");
  std::vector<std::string> missing;
  for (const auto scope : slack::required_bot_scopes) {
    const auto& have = *auth.token_scopes;
    if (std::find(have.begin(), have.end(), scope) == have.end()) missing.emplace_back(scope);
  }
  if (missing.empty()) {
    return ok(name,
              "all " + std::to_string(slack::required_bot_scopes.size()) + " that deploy/slack-manifest.yml asks for");
  }
  return fail(name, std::string("the bot token lacks the scope") + (missing.size() == 1 ? " " : "s ") +
                        joined(missing) +
                        " that deploy/slack-manifest.yml asks for: add them under OAuth & Permissions → Scopes "
                        "(or paste the manifest again) and reinstall the app");
}

Check socket_mode_refused(const SlackConfig& slack, const ApiReply& reply) {
  const std::string name = "slack socket mode";
  if (reply.http_status == 0) return fail(name, unreachable(slack, reply));
  const std::string said = "apps.connections.open failed (" + reply.error + ")";
  const std::string make_one =
      "generate an app-level token with the scope connections:write under Basic Information → App-Level Tokens";
  if (token_refused(reply.error))
    return fail(name, "SLACK_APP_TOKEN was rejected by Slack (" + reply.error + "): " + make_one);
  if (reply.error == "not_allowed_token_type") {
    return fail(name, said + ": SLACK_APP_TOKEN must be an app-level token with connections:write: " + make_one);
  }
  if (reply.error == "missing_scope") {
    return fail(name, said + ": SLACK_APP_TOKEN lacks the scope connections:write: " + make_one);
  }
  if (reply.error == "socket_mode_not_enabled") {
    return fail(name, "Socket Mode is off for the app (" + reply.error +
                          "): turn it on under Settings → Socket Mode (deploy/slack-manifest.yml has "
                          "socket_mode_enabled: true)");
  }
  return fail(name, said + ": try again; if it persists, see https://status.slack.com");
}

// The first frame on a fresh Socket Mode connection: Slack's hello, or why not.
Check socket_mode_greeting(const std::variant<slack::Frame, std::string>& first) {
  const std::string name = "slack socket mode";
  if (const auto* why = std::get_if<std::string>(&first)) {
    return fail(name, "connected, but Slack said nothing (" + *why +
                          "): a proxy may be holding WebSocket frames back; allow WSS to wss-*.slack.com");
  }
  const auto& frame = std::get<slack::Frame>(first);
  if (const auto* hello = std::get_if<slack::Hello>(&frame)) {
    const int open = hello->num_connections;
    return ok(name, "Slack said hello (" + std::to_string(open) + " Socket Mode connection" + (open == 1 ? "" : "s") +
                        " open for the app, 10 at most)");
  }
  if (const auto* bye = std::get_if<slack::Disconnect>(&frame)) {
    if (bye->reason == "link_disabled") {
      return fail(name, "Socket Mode is off for the app (link_disabled): turn it on under Settings → Socket Mode");
    }
    if (bye->reason == "too_many_websockets") {
      return fail(name,
                  "Slack refused another connection (too_many_websockets): the app has 10 Socket Mode "
                  "connections open; stop the other processes using SLACK_APP_TOKEN, or lower "
                  "MICROALIGN_CONNECTIONS");
    }
    return fail(name, "Slack disconnected at once (" + bye->reason + "): try again");
  }
  return fail(name, "Slack's first frame was not hello: try again; if it persists, see https://status.slack.com");
}

// Opens one Socket Mode connection as `run` does, waits for the first frame, and closes it.
asio::awaitable<Check> slack_socket_mode(asio::any_io_executor ex, asio::ssl::context& tls, const SlackConfig& slack,
                                         slack::WebApi& api) {
  const std::string name = "slack socket mode";
  auto args = nlohmann::json::object();
  auto reply = co_await api.call("apps.connections.open", args, slack::TokenKind::app, network_timeout);
  if (!reply.ok) co_return socket_mode_refused(slack, reply);
  const auto url = net::Url::parse(json_string_member(reply.body, "url"));
  if (!url || url->scheme != "wss") co_return fail(name, "apps.connections.open gave no wss:// URL: try again");

  auto connected = co_await net::connect_wss(ex, tls, *url, network_timeout, std::nullopt);
  if (!connected) {
    co_return fail(name, "cannot open the Socket Mode connection (" + connected.error().reason +
                             "): allow outbound WSS (port 443) to wss-*.slack.com");
  }
  auto& ws = **connected;
  beast::get_lowest_layer(ws).expires_after(network_timeout);
  beast::flat_buffer buffer;
  auto [read_ec, read] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
  std::variant<slack::Frame, std::string> first = read_ec.message();
  if (!read_ec) first = slack::read_frame(beast::buffers_to_string(buffer.data()));
  beast::get_lowest_layer(ws).expires_after(network_timeout);
  co_await ws.async_close(beast::websocket::close_code::normal, asio::as_tuple(asio::use_awaitable));
  co_return socket_mode_greeting(first);
}

asio::awaitable<void> slack_checks(asio::any_io_executor ex, asio::ssl::context& tls, const SlackConfig& slack,
                                   Report& report) {
  slack::WebApi api(ex, tls, slack);
  auto args = nlohmann::json::object();
  const auto auth = co_await api.call("auth.test", args, slack::TokenKind::bot, network_timeout);
  report.add(slack_bot_token(slack, auth));
  report.add(slack_bot_scopes(auth));
  const auto socket_mode = co_await slack_socket_mode(ex, tls, slack, api);
  report.add(socket_mode);
  api.close();
}

// ---- Teams

// "HTTP 401 (invalid_client, AADSTS7000215)" → "AADSTS7000215"; "" when it names none.
std::string aadsts_code(const std::string& reason) {
  const auto at = reason.find("AADSTS");
  if (at == std::string::npos) return {};
  const auto end = reason.find_first_not_of("0123456789", at + 6);
  return reason.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

Check teams_login(const TeamsConfig& teams, const std::variant<std::string, teams::TokenError>& token) {
  const std::string name = "teams login";
  const auto* error = std::get_if<teams::TokenError>(&token);
  if (!error)
    return ok(name, "a Bot Connector token for MicrosoftAppId " + teams.app_id + " from " + teams.token_url());
  const std::string said = "the login endpoint refused the credentials (" + error->reason + ")";
  if (error->transient) {
    return fail(name, "cannot get a token from " + teams.token_url() + " (" + error->reason +
                          "): allow outbound HTTPS to login.microsoftonline.com, and check ToChannelFromBotLoginUrl");
  }
  const auto code = aadsts_code(error->reason);
  if (code == "AADSTS7000215") {
    return fail(name, said +
                          ": MicrosoftAppPassword is not a valid client secret for the app; under the Azure "
                          "Bot's Configuration → Manage Password make a new client secret and set its Value (not "
                          "its Secret ID)");
  }
  if (code == "AADSTS7000222") {
    return fail(name, said +
                          ": the client secret has expired; make a new one under the Azure Bot's Configuration "
                          "→ Manage Password");
  }
  if (code == "AADSTS700016") {
    return fail(name, said + ": no app with MicrosoftAppId " + teams.app_id + " in tenant " + teams.tenant_id +
                          "; copy both from the Azure Bot's Configuration page");
  }
  if (code == "AADSTS90002" || code == "AADSTS900023") {
    return fail(name, said + ": MicrosoftAppTenantId " + teams.tenant_id +
                          " is not a tenant; copy the App Tenant ID from the Azure Bot's Configuration page");
  }
  return fail(name, said +
                        ": check MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId on the Azure "
                        "Bot's Configuration page");
}

asio::awaitable<void> teams_checks(asio::any_io_executor ex, asio::ssl::context& tls, TeamsConfig teams,
                                   Report& report) {
  teams.api_timeout = network_timeout;
  teams::TokenClient tokens(ex, tls, teams, app::system_clock());
  const auto token = co_await tokens.authorization();
  report.add(teams_login(teams, token));
  tokens.close();

  teams::OpenIdKeys keys(ex, tls, teams.openid_metadata_url, app::system_clock(), network_timeout);
  const auto why = co_await keys.refresh();
  keys.close();
  if (why.empty()) {
    report.add(ok("teams signing keys", "from " + teams.openid_metadata_url));
  } else {
    report.add(fail("teams signing keys",
                    "cannot fetch the Bot Framework's signing keys from " + teams.openid_metadata_url + " (" + why +
                        "): allow outbound HTTPS to login.botframework.com, and check BotOpenIdMetadata; "
                        "without them every message from Teams is refused"));
  }
}

// ---- What runs on this machine

bool can(const std::filesystem::path& path, int mode) {
  return ::faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0;
}

std::string errno_text() { return lower_first(std::strerror(errno)); }

// The schema version found against this binary's, as both engines report it.
Check schema_version(const std::string& where, int version, int latest) {
  const std::string name = "database";
  if (version > latest) {
    return fail(name, "the database is at schema version " + std::to_string(version) + ", newer than this binary (" +
                          std::to_string(latest) +
                          "): a newer microalign wrote it; run that version, or restore a backup made before the "
                          "upgrade");
  }
  if (version < latest) {
    return ok(name, where + " at schema version " + std::to_string(version) + ": `microalign run` migrates it to " +
                        std::to_string(latest));
  }
  return ok(name, where + " at schema version " + std::to_string(version) + ", this binary's");
}

// MICROALIGN_DB as a PostgreSQL URI: connected to as `run` would (libpq's connect_timeout, 10 s
// unless the URI sets another), only read. Messages name the server as libpq resolved it, never
// the URI, which may hold the password.
Check postgres_database(const Config& config) {
  const std::string name = "database";
  storage::PostgresStore::Inspection found;
  try {
    found = storage::PostgresStore::inspect(config.postgres.reveal());
  } catch (const storage::StorageError& e) {
    return fail(name, std::string("MICROALIGN_DB: cannot use ") + database_label(config) + ": " + e.what() +
                          ": check the host, port, database, user and password in MICROALIGN_DB (or PGPASSFILE), "
                          "and that the server accepts connections from this machine (pg_hba.conf)");
  }
  if (!found.foreign_tables.empty()) {
    return fail(name, "MICROALIGN_DB: " + found.name +
                          " is not a microalign database (its schema holds other tables: " + found.foreign_tables +
                          "); left untouched: give microalign a database or schema of its own");
  }
  const std::string where = found.name + " (PostgreSQL " + found.server_version + ")";
  if (found.schema_version == 0) {
    return ok(name, where + " is empty: `microalign run` creates the schema at version " +
                        std::to_string(storage::PostgresStore::latest_schema_version()));
  }
  return schema_version(where, found.schema_version, storage::PostgresStore::latest_schema_version());
}

Check sqlite_database(const std::string& db_path) {
  const std::string name = "database";
  namespace fs = std::filesystem;
  const fs::path path(db_path);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string elsewhere = "or point MICROALIGN_DB elsewhere";
  const int latest = storage::SqliteStore::latest_schema_version();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (!fs::is_directory(dir, ec)) {
      return fail(name, "MICROALIGN_DB: cannot create " + db_path + ": " + dir.string() +
                            " is not a directory: create it, owned by the user microalign runs as, " + elsewhere);
    }
    if (!can(dir, W_OK | X_OK)) {
      return fail(name, "MICROALIGN_DB: cannot create " + db_path + ": " + errno_text() + ": make " + dir.string() +
                            " writable by the user microalign runs as (uid " + std::to_string(::geteuid()) + "), " +
                            elsewhere);
    }
    return ok(name, db_path + " does not exist yet: `microalign run` creates it (mode 0600) at schema version " +
                        std::to_string(latest));
  }
  if (fs::is_directory(path, ec)) {
    return fail(name, "MICROALIGN_DB: " + db_path + " is a directory: name a file in it, such as " +
                          (path / "microalign.db").string());
  }
  if (!can(path, R_OK | W_OK)) {
    return fail(name, "MICROALIGN_DB: cannot write " + db_path + ": " + errno_text() +
                          ": give it to the user microalign runs as (uid " + std::to_string(::geteuid()) + ")");
  }
  if (!can(dir, W_OK | X_OK)) {
    const std::string why = errno_text();
    return fail(name, "MICROALIGN_DB: cannot write in " + dir.string() + ": " + why +
                          ": SQLite keeps its -wal and -shm files beside the database; make the directory writable "
                          "by the user microalign runs as, " +
                          elsewhere);
  }
  int version = 0;
  try {
    version = storage::SqliteStore::schema_version_at(db_path);
  } catch (const storage::StorageError& e) {
    return fail(name, std::string("MICROALIGN_DB: ") + e.what() + ": restore it from a backup, " + elsewhere);
  }
  return schema_version(db_path, version, latest);
}

Check time_zones() {
  const std::string name = "time zones";
  try {
    const auto& tzdb = date::get_tzdb();
    date::locate_zone("Europe/Berlin");
    const bool versioned = !tzdb.version.empty() && tzdb.version != "unknown";
    return ok(name, "the time-zone database" + (versioned ? " (" + tzdb.version + ")" : "") + " knows Europe/Berlin");
  } catch (const std::exception& e) {
    std::string why = e.what();
    why.erase(std::remove(why.begin(), why.end(), '\n'), why.end());
    return fail(name, "no time-zone database (" + why +
                          "): install tzdata (apt-get install tzdata); schedules and working hours need it");
  }
}

Check trackers(const TrackersConfig& trackers) {
  const std::string name = "trackers";
  // Anyone who can reach the listener may try secrets: a short one is guessed.
  constexpr std::size_t shortest_secret = 16;
  std::string on;
  for (const auto& webhook : tracker_webhooks) {
    const auto& secret = trackers.*webhook.secret;
    if (secret.empty()) continue;
    if (secret.reveal().size() < shortest_secret) {
      return fail(name, std::string(webhook.variable) + " is shorter than " + std::to_string(shortest_secret) +
                            " characters: make a long random one (openssl rand -hex 32) and paste it into the "
                            "tracker's webhook too");
    }
    on += (on.empty() ? "" : ", ") + std::string(webhook.path);
  }
  if (on.empty()) {
    return skip(name, "no tracker webhook secret is set: tickets count as active from chat alone");
  }
  return ok(name, "webhooks on at " + on);
}

Check listener(asio::any_io_executor ex, const std::string& address) {
  const std::string name = "listener";
  auto not_found = [](net::ServerRequest) -> asio::awaitable<net::ServerResponse> {
    co_return net::ServerResponse{404};
  };
  net::HttpServer server(ex, {}, not_found);
  const auto why = server.listen(address);
  if (why.empty()) return ok(name, "MICROALIGN_HTTP_ADDR " + address + " is free");
  const std::string said = "MICROALIGN_HTTP_ADDR " + why;
  if (why.find("in use") != std::string::npos) {
    return fail(name, "MICROALIGN_HTTP_ADDR " + address +
                          " is in use: is microalign already running (systemctl status microalign)? Stop what "
                          "holds it (ss -ltnp shows it), or set MICROALIGN_HTTP_ADDR to a free address");
  }
  if (why.find("cannot assign") != std::string::npos) {
    return fail(name, said +
                          ": the host is not an address of this machine; use 127.0.0.1 (behind a reverse "
                          "proxy here) or 0.0.0.0");
  }
  if (why.find("permission denied") != std::string::npos) {
    return fail(name, said + ": ports below 1024 need privileges; use a higher port such as 3978");
  }
  return fail(name, said + ": set MICROALIGN_HTTP_ADDR to host:port with a numeric host, such as 127.0.0.1:3978");
}

asio::awaitable<void> all_checks(const Config& config, const Getenv& env, Report& report) {
  auto ex = co_await asio::this_coro::executor;
  auto tls = net::make_client_tls_context();

  SlackConfig slack = config.slack;
  const auto slack_problem = load_slack_credentials(env, slack);
  TeamsConfig teams = config.teams;
  const auto teams_problem = load_teams_credentials(env, teams);

  if (slack_problem) {
    report.add(fail("slack tokens", slack_problem->message));
  } else if (slack.bot_token.empty()) {
    report.add(skip("slack", "SLACK_APP_TOKEN and SLACK_BOT_TOKEN are not set"));
  } else {
    report.add(ok("slack tokens", "an app-level token (xapp-…) and a bot token (xoxb-…)"));
    co_await slack_checks(ex, tls, slack, report);
  }

  if (teams_problem) {
    report.add(fail("teams credentials", teams_problem->message));
  } else if (!teams.enabled()) {
    report.add(skip("teams", "MicrosoftAppId is not set"));
  } else {
    report.add(ok("teams credentials",
                  "MicrosoftAppId " + teams.app_id + " in tenant " + teams.tenant_id + ", with a client secret"));
    co_await teams_checks(ex, tls, teams, report);
  }

  if (!slack_problem && !teams_problem && slack.bot_token.empty() && !teams.enabled()) {
    report.add(fail("platforms",
                    "neither Slack nor Teams is configured: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN for "
                    "Slack, or MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId for Teams"));
  }
  report.add(config.postgres.empty() ? sqlite_database(config.db_path) : postgres_database(config));
  report.add(time_zones());
  report.add(listener(ex, config.http_addr));
  report.add(trackers(config.trackers));
}

}  // namespace

int doctor(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  if (!args.empty()) return usage_error("doctor takes no arguments", "doctor");

  const auto env = process_environment();
  auto loaded = load_config(env);
  if (auto* error = std::get_if<ConfigError>(&loaded)) {
    std::cerr << "microalign: " << error->message << "\n";
    return 2;
  }
  const auto config = std::get<Config>(std::move(loaded));
  log::set_level(config.log_level);
  log::set_format(config.log_format);

  Report report;
  asio::io_context io(1);
  std::exception_ptr failure;
  asio::co_spawn(io, all_checks(config, env, report), [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return report.finish();
}

}  // namespace microalign::cli
