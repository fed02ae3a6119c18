// No token or secret is ever printed: every verb that reads them, run as an operator would (the
// real binary, debug logging on), on the paths that work and on those that fail, with every
// line it writes to stdout and stderr searched for each value, and for each value without its
// first characters (a token's xoxb- or xapp- prefix cut off is still the token).
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>

#include "bot_harness.hpp"
#include "fake_teams.hpp"
#include "postgres_schema.hpp"
#include "process.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

// Slack and Teams set up right, against their fakes; each scenario changes what it needs.
struct Workspace {
  TestPki pki;
  FakeSlack slack{pki};
  FakeTeams teams{pki};
  TempDir dir;

  Process::Environment env() const {
    return {{"SLACK_APP_TOKEN", FakeSlack::Options{}.app_token},
            {"SLACK_BOT_TOKEN", FakeSlack::Options{}.bot_token},
            {"SLACK_API_URL", slack.api_url()},
            {"MicrosoftAppId", teams.options().app_id},
            {"MicrosoftAppPassword", teams.options().app_password},
            {"MicrosoftAppTenantId", teams.options().tenant_id},
            {"ToChannelFromBotLoginUrl", teams.login_url()},
            {"BotOpenIdMetadata", teams.openid_metadata_url()},
            {"MICROALIGN_DB", (dir.path() / "microalign.db").string()},
            {"MICROALIGN_HTTP_ADDR", "127.0.0.1:0"},
            {"MICROALIGN_LOG", "debug"},
            {"SSL_CERT_FILE", pki.ca_file().string()}};
  }
};

const std::vector<std::string> secret_variables{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "MicrosoftAppPassword"};

// Every secret `env` holds, searched for in `printed`.
void check_no_secret(const Process::Environment& env, const std::string& printed) {
  for (const auto& variable : secret_variables) {
    const auto value = env.find(variable);
    if (value == env.end()) continue;
    INFO(variable << " in:\n" << printed);
    CHECK(printed.find(value->second) == std::string::npos);
    CHECK(printed.find(value->second.substr(5)) == std::string::npos);
  }
}

// A PostgreSQL URI's password, as MICROALIGN_DB may hold it: in neither the output nor the URI
// as a whole (which would hold it).
void check_no_password(const Process::Environment& env, const std::string& password, const std::string& printed) {
  INFO("the PostgreSQL password in:\n" << printed);
  CHECK(printed.find(password) == std::string::npos);
  CHECK(printed.find(env.at("MICROALIGN_DB")) == std::string::npos);
}

void check_verb(const Workspace& w, const std::vector<std::string>& args, const Process::Environment& env,
                const std::string& db_password = {}) {
  INFO("microalign " << args.front());
  const auto r = run_to_end(args, env, w.dir.path());
  check_no_secret(env, r.out + r.err);
  if (!db_password.empty()) check_no_password(env, db_password, r.out + r.err);
}

const std::vector<std::vector<std::string>> database_verbs{
    {"export"}, {"nudges"}, {"digest", "--channel", "C111"}, {"doctor"}, {"run"}};

}  // namespace

TEST_CASE("no verb prints a token or secret, whether it works or fails", "[cli][security]") {
  Workspace w;

  SECTION("run on Slack and Teams, serving until stopped") {
    const auto env = w.env();
    Process bot({"run"}, env, w.dir.path());
    REQUIRE(w.slack.wait_for_connections(2, 10s));
    REQUIRE(w.teams.wait_for_call(FakeTeams::token_route, 10s));
    bot.signal(SIGTERM);
    CHECK(bot.wait() == 0);
    check_no_secret(env, bot.out() + bot.err());
  }
  SECTION("run with a bot token Slack refuses") {
    auto env = w.env();
    env["SLACK_BOT_TOKEN"] = "xoxb-999-999-refusedtoken";
    check_verb(w, {"run"}, env);
  }
  SECTION("run with a client secret Teams refuses") {
    auto env = w.env();
    env["MicrosoftAppPassword"] = "refused-client-secret-value";
    check_verb(w, {"run"}, env);
  }
  SECTION("run with tokens of the wrong kind") {
    auto env = w.env();
    env["SLACK_BOT_TOKEN"] = "xoxp-111-222-333-usertoken";
    env["SLACK_APP_TOKEN"] = "xoxb-111-222-apptokenisabottoken";
    check_verb(w, {"run"}, env);
  }
  SECTION("run with a database it cannot use") {
    auto env = w.env();
    std::ofstream(env["MICROALIGN_DB"]) << "not a database\n";
    check_verb(w, {"run"}, env);
  }
  SECTION("doctor, set up right and with refused credentials") {
    check_verb(w, {"doctor"}, w.env());
    auto env = w.env();
    env["SLACK_BOT_TOKEN"] = "xoxb-999-999-refusedtoken";
    env["SLACK_APP_TOKEN"] = "xapp-1-A999-999-refusedtoken";
    env["MicrosoftAppPassword"] = "refused-client-secret-value";
    check_verb(w, {"doctor"}, env);
  }
  SECTION("the verbs that read the database") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"export"}, {"nudges"}, {"digest", "--channel", "C111"}, {"parse", "ENG-1 on track"}}) {
      check_verb(w, args, w.env());
    }
  }
  SECTION("every verb with MICROALIGN_DB a PostgreSQL URI holding a password, no server there") {
    auto env = w.env();
    const std::string password = "pg~secret~no~server~8Hw";
    env["MICROALIGN_DB"] = "postgresql://microalign:" + password + "@127.0.0.1:1/microalign?password=" + password;
    for (const auto& args : database_verbs) check_verb(w, args, env, password);
  }
  SECTION("every verb with MICROALIGN_DB a PostgreSQL URI holding the server's password") {
    PostgresSchema db;
    if (!db.available()) return;
    auto env = w.env();
    env["MICROALIGN_DB"] = db.uri_with_password();
    for (const auto& args : database_verbs) {
      if (args.front() != "run") check_verb(w, args, env, PostgresSchema::password());
    }
    Process bot({"run"}, env, w.dir.path());
    REQUIRE(w.slack.wait_for_connections(2, 10s));
    bot.signal(SIGTERM);
    CHECK(bot.wait() == 0);
    check_no_password(env, PostgresSchema::password(), bot.out() + bot.err());
    CHECK(bot.err().find("database postgresql://microalign@127.0.0.1:") != std::string::npos);  // named, no password
  }
}
