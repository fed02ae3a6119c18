// The operator's endpoints on the bot's listener, with the whole bot running against the fake
// Slack and the fake Bot Framework: GET /healthz, /readyz (each check, and what makes it fail)
// and /metrics (the counters moving as the bot works).
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <memory>
#include <stdexcept>

#include "bot_harness.hpp"
#include "fake_teams.hpp"
#include "http_get.hpp"
#include "metrics_text.hpp"
#include "microalign/core/metrics.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

struct Slack {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");

  Slack() { pki.trust(); }
};

HttpGot readyz(BotHarness& bot) { return http_request(bot.http_port(), "/readyz"); }

// The bot's /metrics as Prometheus would scrape it.
std::string scrape(BotHarness& bot) {
  const auto got = http_request(bot.http_port(), "/metrics");
  REQUIRE(got.status == 200);
  return got.body;
}

double value(const std::string& text, std::string_view series) {
  const auto found = sample(text, series);
  INFO(series);
  REQUIRE(found);
  return *found;
}

// How much each series moved between two scrapes. (The counters are the process's: a test
// compares what it did, whatever ran in the process before it.)
double moved(const std::string& before, const std::string& after, std::string_view series) {
  return value(after, series) - sample(before, series).value_or(0);
}

}  // namespace

TEST_CASE("GET /healthz says ok as long as the process serves, and other methods are refused", "[health]") {
  Slack s;
  BotHarness bot(s.config);
  const auto got = http_request(bot.http_port(), "/healthz");
  CHECK(got.status == 200);
  CHECK(got.body == "ok\n");
  CHECK(got.content_type == "text/plain; charset=utf-8");
  CHECK(http_request(bot.http_port(), "/healthz?probe=liveness").status == 200);

  const auto head = http_request(bot.http_port(), "/metrics", "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  for (const char* target : {"/healthz", "/readyz", "/metrics"}) {
    const auto post = http_request(bot.http_port(), target, "POST");
    CHECK(post.status == 405);
    CHECK(post.allow == "GET, HEAD");
  }
  CHECK(http_request(bot.http_port(), "/api/messages").status == 404);  // no Teams here
  CHECK(http_request(bot.http_port(), "/metrics/x").status == 404);
}

TEST_CASE("GET /readyz is 200 once a Slack socket is ready, and 503 saying why while none is", "[health]") {
  Slack s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  REQUIRE(eventually([&] { return readyz(bot).body.find("2 sockets ready") != std::string::npos; }, 5s));
  const auto ready = readyz(bot);
  CHECK(ready.status == 200);
  CHECK(ready.content_type == "text/plain; charset=utf-8");
  CHECK_THAT(ready.body, Catch::StartsWith("ready\n"));
  CHECK_THAT(ready.body, Catch::Contains("platform: ok (slack: 2 sockets ready)\n"));
  CHECK_THAT(ready.body, Catch::Contains("storage: ok (writable)\n"));
  CHECK_THAT(ready.body, Catch::Contains("tasks: ok (4 running)\n"));  // 3 + Slack's outbox sender
  const auto ready_text = scrape(bot);

  // Slack drops both sockets and greets no new one: the link is down until it does.
  s.slack.set_send_hello(false);
  for (const int id : s.slack.open_sockets()) s.slack.drop(id);
  REQUIRE(eventually([&] { return readyz(bot).status == 503; }, 5s));
  const auto down = readyz(bot);
  CHECK_THAT(down.body, Catch::StartsWith("not ready\n"));
  CHECK_THAT(down.body, Catch::Contains("platform: failing (slack: no Socket Mode socket ready)\n"));
  CHECK_THAT(down.body, Catch::Contains("storage: ok"));
  CHECK_THAT(down.body, Catch::Contains("tasks: ok"));
  const auto text = scrape(bot);
  CHECK(value(text, R"(microalign_platform_live{platform="slack"})") == 0);
  CHECK(value(text, "microalign_slack_sockets_ready") == 0);
  // Both sockets died; each slot opens another (after its backoff), which says no hello.
  CHECK(eventually(
      [&] { return moved(ready_text, scrape(bot), R"(microalign_slack_reconnects_total{reason="died"})") == 2; }));

  s.slack.set_send_hello(true);
  CHECK(eventually([&] { return readyz(bot).status == 200; }, 10s));
}

TEST_CASE("GET /readyz is 503 while the database cannot take a write, and ready again after", "[health]") {
  Slack s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  REQUIRE(eventually([&] { return readyz(bot).status == 200; }, 5s));

  // Another process holds the write lock (SQLite: one writer at a time).
  SQLite::Database other(s.config.db_path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  const auto started = std::chrono::steady_clock::now();
  const auto locked = readyz(bot);
  CHECK(std::chrono::steady_clock::now() - started < 4s);  // answered at its deadline, not SQLite's
  CHECK(locked.status == 503);
  CHECK_THAT(locked.body, Catch::Contains("platform: ok"));
  CHECK_THAT(locked.body, Catch::Contains("storage: failing (cannot write: no answer within 2000 ms)\n"));
  other.exec("ROLLBACK");

  CHECK(eventually([&] { return readyz(bot).status == 200; }, 10s));
}

TEST_CASE("GET /metrics counts a slash command: the envelope, its ack, the update, the commit and the echo",
          "[metrics]") {
  Slack s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  REQUIRE(eventually([&] { return readyz(bot).body.find("2 sockets ready") != std::string::npos; }, 5s));

  const auto got = http_request(bot.http_port(), "/metrics");
  CHECK(got.status == 200);
  CHECK(got.content_type == "text/plain; version=0.0.4; charset=utf-8");
  const auto before = got.body;
  CHECK(value(before, R"(microalign_slack_api_calls_total{method="auth.test",status="200"})") >= 1);
  CHECK(value(before, R"(microalign_slack_api_calls_total{method="apps.connections.open",status="200"})") >= 2);
  CHECK(value(before, R"(microalign_task_running{task="outbox_sender_slack"})") == 1);
  CHECK(value(before, R"(microalign_platform_live{platform="slack"})") == 1);
  CHECK(value(before, "microalign_slack_sockets_ready") == 2);

  s.slack.send_envelope(
      slash_command("env-1", "/status", "ENG-42 blocked on the vendor", "U111", "C111", s.slack.response_url("r1")));
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));
  REQUIRE(s.slack.wait_for_call("chat.postMessage", 3s));
  REQUIRE(eventually([&] { return !bot.updates().at(0).echo_ref.empty(); }));

  const auto after = scrape(bot);
  CHECK(moved(before, after, R"(microalign_slack_envelopes_total{type="slash_commands"})") == 1);
  CHECK(moved(before, after, R"(microalign_slack_envelopes_total{type="events_api"})") == 0);
  CHECK(moved(before, after, "microalign_slack_ack_latency_seconds_count") == 1);
  CHECK(moved(before, after, R"(microalign_slack_ack_latency_seconds_bucket{le="3"})") == 1);
  CHECK(moved(before, after, R"(microalign_updates_stored_total{platform="slack"})") == 1);
  CHECK(moved(before, after, R"(microalign_slack_api_calls_total{method="chat.postMessage",status="200"})") == 1);
  CHECK(moved(before, after, R"(microalign_outbox_sends_total{platform="slack",outcome="sent"})") == 1);
  CHECK(value(after, R"(microalign_outbox_pending{platform="slack"})") == 0);
  CHECK(moved(before, after, "microalign_storage_commit_seconds_count") >= 2);  // the update, the echo sent
  CHECK(value(after, "microalign_storage_batch_size_count") == value(after, "microalign_storage_commit_seconds_count"));

  // Nothing secret: no token, and nothing anyone typed.
  for (const auto& secret : {FakeSlack::Options{}.app_token, FakeSlack::Options{}.bot_token}) {
    CHECK(after.find(secret) == std::string::npos);
  }
  CHECK(after.find("vendor") == std::string::npos);
  CHECK(after.find("U111") == std::string::npos);
  CHECK(after.find("C111") == std::string::npos);
}

TEST_CASE("GET /metrics counts Slack's 429s by method", "[metrics]") {
  Slack s;
  s.slack.reply_next("chat.postMessage", Reply::rate_limited(std::chrono::seconds(1)));
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const auto before = scrape(bot);
  s.slack.send_envelope(
      slash_command("env-1", "/heads-up", "deploy freeze friday", "U111", "C111", s.slack.response_url("r1")));
  REQUIRE(s.slack.wait_for_call("chat.postMessage", 5s, 2));  // the retry after Retry-After
  REQUIRE(eventually([&] {
    return moved(before, scrape(bot), R"(microalign_outbox_sends_total{platform="slack",outcome="sent"})") == 1;
  }));
  const auto text = scrape(bot);
  CHECK(moved(before, text, R"(microalign_slack_api_calls_total{method="chat.postMessage",status="429"})") == 1);
  CHECK(moved(before, text, R"(microalign_slack_api_rate_limited_total{method="chat.postMessage"})") == 1);
  CHECK(moved(before, text, R"(microalign_outbox_sends_total{platform="slack",outcome="retried"})") == 1);
}

TEST_CASE("with Teams alone, /readyz is ready once signed in, and /metrics counts activities and connector calls",
          "[health][metrics][teams]") {
  TestPki pki;
  FakeTeams teams{pki};
  TempDir dir;
  pki.trust();
  Config config;
  config.teams = teams.config();
  config.http_addr = "127.0.0.1:0";
  config.db_path = (dir.path() / "microalign.db").string();
  BotHarness bot(config);

  REQUIRE(eventually([&] { return readyz(bot).status == 200; }, 5s));
  CHECK_THAT(readyz(bot).body, Catch::Contains("platform: ok (teams: serving)\n"));
  const auto before = scrape(bot);

  const auto mention = channel_mention(teams, "status ENG-42 blocked on the vendor", "19:general@thread.tacv2");
  CHECK(FakeTeams::post_activity(bot.http_port(), mention, teams.authorization()).status == 200);
  CHECK(FakeTeams::post_activity(bot.http_port(), mention, teams.authorization()).status == 200);  // a retry
  CHECK(FakeTeams::post_activity(bot.http_port(), mention, "Bearer not-a-token").status == 401);
  REQUIRE(teams.wait_for_call(FakeTeams::send_route, 5s));
  REQUIRE(eventually([&] { return !bot.updates().at(0).echo_ref.empty(); }));

  const auto text = scrape(bot);
  CHECK(moved(before, text, R"(microalign_teams_activities_total{type="message",outcome="accepted"})") == 1);
  CHECK(moved(before, text, R"(microalign_teams_activities_total{type="message",outcome="duplicate"})") == 1);
  CHECK(moved(before, text, R"(microalign_teams_activities_total{type="message",outcome="unauthorized"})") == 1);
  CHECK(moved(before, text, R"(microalign_updates_stored_total{platform="teams"})") == 1);
  CHECK(moved(before, text, R"(microalign_teams_connector_calls_total{method="reply",status="201"})") == 1);
  CHECK(value(before, R"(microalign_teams_token_fetches_total{status="200"})") >= 1);  // at sign-in
  CHECK(value(text, R"(microalign_platform_live{platform="teams"})") == 1);
  CHECK(text.find(teams.options().app_password) == std::string::npos);
  CHECK(text.find("vendor") == std::string::npos);
}

TEST_CASE("GET /readyz is 503 while a background task is down after an error, and /metrics counts its restarts",
          "[health][supervision]") {
  Slack s;
  const auto before = metrics::default_registry().render_prometheus();  // the counters are the process's
  // The bot's clock fails until the test mends it: every background task reads it as it starts.
  // (So does /metrics, for the outbox's age: it is scraped once the clock is mended.)
  auto broken = std::make_shared<std::atomic<bool>>(true);
  BotHarness bot(s.config, [broken, clock = app::system_clock()] {
    if (broken->load()) throw std::runtime_error("the clock cannot be read");
    return clock();
  });
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  REQUIRE(eventually([&] { return readyz(bot).body.find("2 sockets ready") != std::string::npos; }, 5s));

  REQUIRE(eventually([&] { return readyz(bot).body.find("digest_scheduler restarting") != std::string::npos; }, 5s));
  const auto down = readyz(bot);
  CHECK(down.status == 503);
  CHECK_THAT(down.body, Catch::Contains("platform: ok"));
  CHECK_THAT(down.body, Catch::Contains("tasks: failing (digest_scheduler restarting after an error ("));
  CHECK_THAT(down.body, Catch::Contains(", last failure at "));
  CHECK(down.body.find("the clock cannot be read") == std::string::npos);  // the error's text is for the log
  REQUIRE(eventually(
      [&] {
        return readyz(bot).body.find("digest_scheduler restarting after an error (1 restart") != std::string::npos;
      },
      5s));

  broken->store(false);
  CHECK(eventually([&] { return readyz(bot).status == 200; }, 10s));
  CHECK_THAT(readyz(bot).body, Catch::Contains("running; digest_scheduler "));  // it runs again, after restarts
  const auto after = scrape(bot);
  CHECK(moved(before, after, R"(microalign_task_restarts_total{task="digest_scheduler"})") >= 1);
  CHECK(value(after, R"(microalign_task_last_failure_timestamp_seconds{task="digest_scheduler"})") > 0);
  CHECK(value(after, R"(microalign_task_running{task="digest_scheduler"})") == 1);
}
