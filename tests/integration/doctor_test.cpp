// `microalign doctor` as an operator runs it, against the fake Slack and the fake Bot Framework:
// every check passing, then each set-up mistake on its own, each one a FAIL line that says what
// to do — and never a secret.
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "bot_harness.hpp"
#include "fake_teams.hpp"
#include "microalign/slack/scopes.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "postgres_schema.hpp"
#include "process.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

// "commands,chat:write,…" without the scopes in `leave_out`.
std::string scopes_without(const std::vector<std::string>& leave_out) {
  std::string scopes;
  for (const auto scope : slack::required_bot_scopes) {
    if (std::find(leave_out.begin(), leave_out.end(), scope) != leave_out.end()) continue;
    scopes += (scopes.empty() ? "" : ",") + std::string(scope);
  }
  return scopes;
}

FakeSlack::Options slack_with_scopes(std::string scopes) {
  FakeSlack::Options options;
  options.bot_scopes = std::move(scopes);
  return options;
}

// One line of the report: "FAIL slack bot scopes: the bot token lacks …".
struct Line {
  std::string outcome;  // "ok", "FAIL", "skip"
  std::string text;
};

struct Doctor {
  int status = -1;
  std::map<std::string, Line> checks;  // by name
  std::string out, err;

  // The names of the checks that failed.
  std::vector<std::string> failed() const {
    std::vector<std::string> names;
    for (const auto& [name, line] : checks)
      if (line.outcome == "FAIL") names.push_back(name);
    return names;
  }
  const Line& check(const std::string& name) const {
    INFO(out);
    REQUIRE(checks.contains(name));
    return checks.at(name);
  }
};

// A machine set up right, with Slack and Teams: each test then breaks one thing.
struct SetUp {
  explicit SetUp(FakeSlack::Options options = slack_with_scopes(scopes_without({})))
      : slack_options(options), slack(pki, std::move(options)) {}

  Process::Environment env() const {
    return {{"SLACK_APP_TOKEN", slack_options.app_token},
            {"SLACK_BOT_TOKEN", slack_options.bot_token},
            {"SLACK_API_URL", slack.api_url()},
            {"MicrosoftAppId", teams.options().app_id},
            {"MicrosoftAppPassword", teams.options().app_password},
            {"MicrosoftAppTenantId", teams.options().tenant_id},
            {"ToChannelFromBotLoginUrl", teams.login_url()},
            {"BotOpenIdMetadata", teams.openid_metadata_url()},
            {"MICROALIGN_DB", db().string()},
            {"MICROALIGN_HTTP_ADDR", "127.0.0.1:0"},  // any free port: tests run side by side
            {"SSL_CERT_FILE", pki.ca_file().string()}};
  }
  std::filesystem::path db() const { return dir.path() / "microalign.db"; }

  Doctor run(const Process::Environment& environment,
             Process::Privileges privileges = Process::Privileges::as_is) const {
    auto finished = run_to_end({"doctor"}, environment, dir.path(), privileges);
    Doctor d{finished.status, {}, finished.out, finished.err};
    std::istringstream lines(finished.out);
    for (std::string line; std::getline(lines, line);) {
      const auto space = line.find(' ');
      const auto colon = line.find(": ");
      if (space == std::string::npos || colon == std::string::npos) continue;  // the summary
      auto name = line.substr(space, colon - space);
      name.erase(0, name.find_first_not_of(' '));
      d.checks[name] = {line.substr(0, space), line.substr(colon + 2)};
    }
    // Whatever happened, no secret was shown.
    const std::string everything = finished.out + finished.err;
    for (const auto& secret : {slack_options.app_token, slack_options.bot_token, teams.options().app_password}) {
      CHECK(everything.find(secret) == std::string::npos);
    }
    for (const auto& [variable, value] : environment) {
      const bool secret =
          variable == "SLACK_APP_TOKEN" || variable == "SLACK_BOT_TOKEN" || variable == "MicrosoftAppPassword";
      if (secret) CHECK(everything.find(value.substr(5)) == std::string::npos);
    }
    return d;
  }
  Doctor run() const { return run(env()); }

  TestPki pki;
  FakeSlack::Options slack_options;
  FakeSlack slack;
  FakeTeams teams{pki};
  TempDir dir;
};

// Fails the test with the whole report, unless `name` is the only check that failed and its line
// says `what`.
void only_failure(const Doctor& d, const std::string& name, const std::string& what) {
  INFO(d.out << d.err);
  CHECK(d.status == 1);
  CHECK(d.failed() == std::vector<std::string>{name});
  CHECK_THAT(d.check(name).text, Catch::Contains(what));
}

}  // namespace

TEST_CASE("doctor --help lists the checks", "[doctor][cli]") {
  TempDir dir;
  auto r = run_to_end({"doctor", "--help"}, {}, dir.path());
  CHECK(r.status == 0);
  CHECK(r.out.starts_with("Usage: microalign doctor"));
  for (const char* check : {"slack bot token", "slack bot scopes", "slack socket mode", "teams login", "database",
                            "time zones", "listener", "trackers"})
    CHECK(r.out.find(check) != std::string::npos);
  CHECK(run_to_end({"doctor", "now"}, {}, dir.path()).status == 2);
}

TEST_CASE("doctor: everything set up right passes, exit status 0", "[doctor]") {
  SetUp s;
  const auto d = s.run();
  INFO(d.out << d.err);
  CHECK(d.status == 0);
  CHECK(d.failed().empty());
  for (const auto* name :
       {"slack tokens", "slack bot token", "slack bot scopes", "slack socket mode", "teams credentials", "teams login",
        "teams signing keys", "database", "time zones", "listener"}) {
    CHECK(d.check(name).outcome == "ok");
  }
  CHECK(d.check("slack bot token").text == "the bot @microalign (UBOT) in microalign test (T111)");
  CHECK(d.check("slack socket mode").text.starts_with("Slack said hello"));
  CHECK(d.check("database").text.find("does not exist yet") != std::string::npos);
  CHECK(d.out.ends_with("All 10 checks passed.\n"));
  // It only looked: no database was made, and the Socket Mode connection it opened is closed.
  CHECK_FALSE(std::filesystem::exists(s.db()));
  CHECK(s.slack.socket_connections_opened() == 1);
  CHECK(s.slack.wait_for_closed(1, 2s));

  SECTION("a database at this binary's schema version passes too") {
    storage::SqliteStore::open(s.db().string());
    const auto again = s.run();
    CHECK(again.status == 0);
    CHECK(again.check("database")
              .text.ends_with("at schema version " + std::to_string(storage::SqliteStore::latest_schema_version()) +
                              ", this binary's"));
  }
}

TEST_CASE("doctor: tracker webhooks on, and a secret too short to keep out guesses", "[doctor][trackers]") {
  SetUp s;
  auto env = s.env();
  CHECK(s.run(env).check("trackers").outcome == "skip");
  env["GITHUB_WEBHOOK_SECRET"] = "0123456789abcdef0123456789abcdef";
  env["LINEAR_WEBHOOK_SECRET"] = "fedcba9876543210fedcba9876543210";
  const auto on = s.run(env);
  CHECK(on.status == 0);
  CHECK(on.check("trackers").text == "webhooks on at /webhooks/github, /webhooks/linear");
  env["JIRA_WEBHOOK_SECRET"] = "hunter2";
  const auto weak = s.run(env);
  only_failure(weak, "trackers", "JIRA_WEBHOOK_SECRET is shorter than 16 characters");
  CHECK(weak.out.find("hunter2") == std::string::npos);
}

TEST_CASE("doctor: a bot token Slack rejects", "[doctor]") {
  SetUp s;
  auto env = s.env();
  env["SLACK_BOT_TOKEN"] = "xoxb-999-999-revokedtoken";
  const auto d = s.run(env);
  only_failure(d, "slack bot token",
               "SLACK_BOT_TOKEN was rejected by Slack (invalid_auth): reinstall the app and copy the Bot User OAuth "
               "Token (xoxb-…)");
  CHECK(d.check("slack bot scopes").outcome == "skip");
  CHECK(d.check("slack socket mode").outcome == "ok");
}

TEST_CASE("doctor: a user token in SLACK_BOT_TOKEN", "[doctor]") {
  SetUp s;
  SECTION("told by its prefix") {
    auto env = s.env();
    env["SLACK_BOT_TOKEN"] = "xoxp-111-222-333-usertoken";
    const auto d = s.run(env);
    only_failure(d, "slack tokens",
                 "SLACK_BOT_TOKEN is malformed: it must be a bot token (xoxb-…), not a user token (xoxp-…)");
    // A check that failed, not a configuration that cannot be read: the other checks still ran.
    CHECK(d.status == 1);
    CHECK(d.check("teams login").outcome == "ok");
  }
  SECTION("told by auth.test: no bot behind it") {
    s.slack.reply_next("auth.test", Reply::json({{"ok", true},
                                                 {"url", "https://microalign-test.slack.com/"},
                                                 {"team", "microalign test"},
                                                 {"user", "alice"},
                                                 {"team_id", "T111"},
                                                 {"user_id", "U222"},
                                                 {"is_enterprise_install", false}}));
    const auto d = s.run();
    only_failure(d, "slack bot token",
                 "SLACK_BOT_TOKEN belongs to @alice (U222) in microalign test (T111), a user, not the app's bot");
  }
}

// Regression: doctor read auth.test's fields with json::value(), which throws on a field of
// another type, so one odd reply ended doctor instead of failing one check.
TEST_CASE("doctor: an auth.test reply whose fields hold odd types fails one check, never ends doctor", "[doctor]") {
  SetUp s;
  s.slack.reply_next("auth.test", Reply::json({{"ok", true},
                                               {"team", nullptr},
                                               {"user", 5},
                                               {"team_id", "T111"},
                                               {"user_id", {"U222"}},
                                               {"bot_id", nlohmann::json::object()}}));
  const auto d = s.run();
  only_failure(d, "slack bot token", "SLACK_BOT_TOKEN belongs to @? (?) in ? (T111), a user, not the app's bot");
  CHECK(d.check("slack socket mode").outcome == "ok");
}

TEST_CASE("doctor: a bot token without scopes the manifest asks for", "[doctor]") {
  SetUp s(slack_with_scopes(scopes_without({"im:write", "reactions:read"})));
  only_failure(s.run(), "slack bot scopes",
               "the bot token lacks the scopes im:write, reactions:read that deploy/slack-manifest.yml asks for: add "
               "them under OAuth & Permissions");

  SetUp one(slack_with_scopes(scopes_without({"commands"})));
  only_failure(one.run(), "slack bot scopes", "the bot token lacks the scope commands that");
}

TEST_CASE("doctor: apps.connections.open refused", "[doctor]") {
  SetUp s;
  SECTION("a token of the wrong type") {
    s.slack.reply_next("apps.connections.open", Reply::error("not_allowed_token_type"));
    only_failure(s.run(), "slack socket mode",
                 "apps.connections.open failed (not_allowed_token_type): SLACK_APP_TOKEN must be an app-level token "
                 "with connections:write");
  }
  SECTION("Socket Mode turned off") {
    s.slack.reply_next("apps.connections.open", Reply::error("socket_mode_not_enabled"));
    only_failure(s.run(), "slack socket mode", "Socket Mode is off for the app (socket_mode_not_enabled): turn it on");
  }
  SECTION("an app token Slack does not know") {
    auto env = s.env();
    env["SLACK_APP_TOKEN"] = "xapp-1-A999-999-deleted";
    only_failure(s.run(env), "slack socket mode", "SLACK_APP_TOKEN was rejected by Slack (invalid_auth): generate");
  }
  SECTION("Slack disconnects at once") {
    s.slack.set_send_hello(false);
    // The fake's first socket gets Slack's "Socket Mode was turned off" as its first frame.
    std::thread disconnect([&] {
      if (s.slack.wait_for_connections(1, 5s)) s.slack.disconnect(s.slack.open_sockets().at(0), "link_disabled");
    });
    const auto d = s.run();
    disconnect.join();
    only_failure(d, "slack socket mode", "Socket Mode is off for the app (link_disabled)");
  }
}

TEST_CASE("doctor: the Teams login refuses the secret", "[doctor]") {
  SetUp s;
  auto env = s.env();
  env["MicrosoftAppPassword"] = "an-old-secret~value";
  const auto d = s.run(env);
  only_failure(d, "teams login",
               "the login endpoint refused the credentials (HTTP 401 (invalid_client, AADSTS7000215)): "
               "MicrosoftAppPassword is not a valid client secret");
  CHECK(d.out.find("an-old-secret") == std::string::npos);
  CHECK(d.err.find("an-old-secret") == std::string::npos);
  CHECK(d.check("teams signing keys").outcome == "ok");
}

TEST_CASE("doctor: a database directory the bot cannot write", "[doctor]") {
  SetUp s;
  const auto locked = s.dir.path() / "locked";
  std::filesystem::create_directory(locked);
  REQUIRE(::chmod(locked.c_str(), 0500) == 0);
  auto env = s.env();
  env["MICROALIGN_DB"] = (locked / "microalign.db").string();
  const auto d = s.run(env, Process::Privileges::file_permissions_apply);
  only_failure(d, "database",
               "MICROALIGN_DB: cannot create " + (locked / "microalign.db").string() + ": permission denied: make " +
                   locked.string() + " writable by the user microalign runs as");
  ::chmod(locked.c_str(), 0700);

  SECTION("nor a directory that does not exist") {
    env["MICROALIGN_DB"] = (s.dir.path() / "missing" / "microalign.db").string();
    only_failure(s.run(env), "database", "missing is not a directory: create it");
  }
}

TEST_CASE("doctor: a database newer than the binary", "[doctor]") {
  SetUp s;
  const int newer = storage::SqliteStore::latest_schema_version() + 1;
  storage::SqliteStore::open(s.db().string())->sql().exec("PRAGMA user_version = " + std::to_string(newer));
  only_failure(s.run(), "database",
               "the database is at schema version " + std::to_string(newer) + ", newer than this binary (" +
                   std::to_string(newer - 1) + "): a newer microalign wrote it");
  CHECK(storage::SqliteStore::schema_version_at(s.db().string()) == newer);  // only looked

  SECTION("an older one is fine: run migrates it") {
    storage::SqliteStore::open(s.dir.path().string() + "/old.db")->sql().exec("PRAGMA user_version = 1");
    auto env = s.env();
    env["MICROALIGN_DB"] = s.dir.path().string() + "/old.db";
    const auto d = s.run(env);
    CHECK(d.status == 0);
    CHECK(d.check("database").text.find("at schema version 1: `microalign run` migrates it to") != std::string::npos);
    CHECK(storage::SqliteStore::schema_version_at(env["MICROALIGN_DB"]) == 1);  // not by the doctor
  }
}

TEST_CASE("doctor: a PostgreSQL database, empty, at this binary's schema version, older, newer", "[doctor][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  SetUp s;
  auto env = s.env();
  env["MICROALIGN_DB"] = db.uri_with_password();
  const int latest = storage::PostgresStore::latest_schema_version();
  const auto database_line = [&] {
    const auto d = s.run(env);
    INFO(d.out << d.err);
    CHECK(d.out.find(PostgresSchema::password()) == std::string::npos);
    CHECK(d.err.find(PostgresSchema::password()) == std::string::npos);
    return d;
  };

  const auto empty = database_line();
  CHECK(empty.status == 0);
  CHECK(empty.check("database").outcome == "ok");
  CHECK_THAT(
      empty.check("database").text,
      Catch::StartsWith("postgresql://microalign@127.0.0.1:") && Catch::Contains(" (PostgreSQL ") &&
          Catch::EndsWith(" is empty: `microalign run` creates the schema at version " + std::to_string(latest)));
  const auto looked = storage::PostgresStore::inspect(db.uri());
  CHECK(looked.schema_version == 0);  // the doctor only looked
  CHECK(looked.foreign_tables.empty());

  storage::PostgresStore::open(db.uri());
  CHECK_THAT(database_line().check("database").text,
             Catch::EndsWith("at schema version " + std::to_string(latest) + ", this binary's"));

  db.sql("UPDATE microalign_schema SET version = 1");
  const auto older = database_line();
  CHECK(older.status == 0);
  CHECK_THAT(older.check("database").text,
             Catch::EndsWith("at schema version 1: `microalign run` migrates it to " + std::to_string(latest)));
  CHECK(storage::PostgresStore::inspect(db.uri()).schema_version == 1);  // not by the doctor

  db.sql("UPDATE microalign_schema SET version = " + std::to_string(latest + 1));
  only_failure(database_line(), "database",
               "the database is at schema version " + std::to_string(latest + 1) + ", newer than this binary (" +
                   std::to_string(latest) + "): a newer microalign wrote it");
}

TEST_CASE("doctor: another application's tables in the PostgreSQL schema fail, left untouched", "[doctor][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  db.sql("CREATE TABLE recipes (title TEXT); CREATE TABLE shopping (item TEXT); INSERT INTO recipes VALUES ('bread')");
  SetUp s;
  auto env = s.env();
  env["MICROALIGN_DB"] = db.uri();
  env["PGPASSFILE"] = std::getenv("PGPASSFILE");
  only_failure(s.run(env), "database",
               " is not a microalign database (its schema holds other tables: recipes, shopping); left untouched");
  const auto after = storage::PostgresStore::inspect(db.uri());
  CHECK(after.schema_version == 0);  // no microalign_schema made
  CHECK(after.foreign_tables == "recipes, shopping");
}

TEST_CASE("doctor: a PostgreSQL server refusing the password fails, the password never shown", "[doctor][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  SetUp s;
  auto env = s.env();
  const std::string wrong = "not~the~password~9Fd";
  std::string uri = db.uri();
  uri.insert(uri.find('@'), ":" + wrong);
  env["MICROALIGN_DB"] = uri;  // and no PGPASSFILE: the URI's password is the only one
  const auto d = s.run(env);
  only_failure(d, "database", "password authentication failed for user \"microalign\"");
  CHECK_THAT(d.check("database").text, Catch::StartsWith("MICROALIGN_DB: cannot use postgresql://127.0.0.1:") &&
                                           Catch::Contains("check the host, port, database, user and password"));
  CHECK((d.out + d.err).find(wrong) == std::string::npos);
}

TEST_CASE("doctor: no PostgreSQL server where MICROALIGN_DB says fails in one line, no password",
          "[doctor][postgres]") {
  SetUp s;
  auto env = s.env();
  const std::string password = "no~server~pw~4Rt";
  env["MICROALIGN_DB"] = "postgresql://microalign:" + password + "@127.0.0.1:1/microalign";  // nothing listens
  const auto d = s.run(env);
  only_failure(d, "database",
               "MICROALIGN_DB: cannot use postgresql://127.0.0.1:1/microalign: PostgreSQL: connect: connection to "
               "server at \"127.0.0.1\", port 1 failed: Connection refused");
  CHECK((d.out + d.err).find(password) == std::string::npos);
}

TEST_CASE("doctor: the listener's address in use", "[doctor]") {
  SetUp s;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto address = "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
  auto env = s.env();
  env["MICROALIGN_HTTP_ADDR"] = address;
  only_failure(s.run(env), "listener", "MICROALIGN_HTTP_ADDR " + address + " is in use: is microalign already running");
}

TEST_CASE("doctor: nothing configured, and a configuration that cannot be read", "[doctor]") {
  SetUp s;
  Process::Environment bare{{"MICROALIGN_DB", s.db().string()}, {"MICROALIGN_HTTP_ADDR", "127.0.0.1:0"}};
  const auto none = s.run(bare);
  only_failure(none, "platforms", "neither Slack nor Teams is configured");
  CHECK(none.check("slack").outcome == "skip");
  CHECK(none.check("teams").outcome == "skip");

  bare["MICROALIGN_LOG"] = "loud";
  const auto unreadable = s.run(bare);
  CHECK(unreadable.status == 2);
  CHECK(unreadable.out.empty());
  CHECK(unreadable.err == "microalign: MICROALIGN_LOG must be one of debug, info, warn, error (got loud)\n");
}
