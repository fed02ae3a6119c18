// The trackers' webhooks through the whole bot: a signed delivery from GitHub, Jira or Linear
// (their published payloads, tests/data/trackers) POSTed to the HTTP listener is stored once, and
// changes what counts as quiet — here on Teams, against the fake Bot Framework: no nudge for a
// ticket that moved in its tracker, a nudge once chat and tracker have both been silent.
#include <catch2/catch.hpp>

#include <atomic>

#include "../trackers/deliveries.hpp"
#include "http_get.hpp"
#include "teams_harness.hpp"
#include "microalign/storage/store.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono;

namespace {

constexpr const char* general = "19:general@thread.tacv2";
constexpr const char* pr = "codertocat/hello-world#2";  // what the published PR payloads are about

// A clock the test moves by hand; the bot reads it on every tick.
struct HandClock {
  std::atomic<std::int64_t> ms;
  explicit HandClock(sys_days day, hours hour)
      : ms(time_point_cast<milliseconds>(day + hour).time_since_epoch().count()) {}
  void set(sys_days day, hours hour) { ms = time_point_cast<milliseconds>(day + hour).time_since_epoch().count(); }
  app::Clock clock() {
    return [this] { return SysTime{milliseconds{ms.load()}}; };
  }
};

// The PR, owned by User One (Berlin), last talked about in General on Friday 5 June 2026: quiet
// by Wednesday 10 June, 10:00 in Berlin, were it not for the trackers.
void seed_quiet_pr(Teams& t) {
  t.config.nudge_tick = milliseconds(100);
  t.config.trackers.github_secret = Secret(tracker_secret);
  const auto tenant = t.teams.options().tenant_id;
  const std::string owner = "29:1user-one-aad-per-bot-id";
  auto store = storage::SqliteStore::open(t.config.db_path);
  Update u;
  u.created_at = time_point_cast<milliseconds>(sys_days{year{2026} / June / 5} + hours(8));
  u.where = {tenant, general, {}};
  u.user = owner;
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = TicketState::on_track;
  u.parsed.tickets = {pr};
  u.parsed.text = "PR 2 on track";
  store->begin();
  store->insert_update(u);
  store->remember_workspace(tenant, "teams");
  store->remember_route("teams", tenant, general, t.teams.base_url(), u.created_at);
  store->set_time_zone(tenant, owner, "Europe/Berlin");
  store->commit();
}

// The published review payload, its review dated in the future: the bot takes it as "now".
std::string review_now() {
  auto body = tracker_payload("github/pull_request_review_submitted.json");
  for (auto at = body.find("2019-05-15T15:20:38Z"); at != std::string::npos; at = body.find("2019-05-15T15:20:38Z")) {
    body.replace(at, 20, "2030-01-01T00:00:00Z");
  }
  return body;
}

HttpGot post_delivery(BotHarness& bot, const trackers::WebhookRequest& delivery) {
  HttpHeaders headers{{"Content-Type", "application/json"}};
  for (const auto& [name, value] : delivery.headers) headers.emplace_back(name, value);
  return http_request(bot.http_port(), "/webhooks/github", "POST", 10s, headers, delivery.body);
}

constexpr sys_days tuesday = sys_days{year{2026} / June / 9};
constexpr sys_days wednesday = sys_days{year{2026} / June / 10};
constexpr sys_days friday = sys_days{year{2026} / June / 12};

}  // namespace

TEST_CASE("a PR reviewed on GitHub is not quiet: no nudge until chat and tracker are both silent",
          "[trackers][teams][nudge]") {
  Teams t;
  seed_quiet_pr(t);
  HandClock hand(tuesday, hours(8));
  BotHarness bot(t.config, hand.clock());

  const auto delivery = github_delivery("pull_request_review", review_now());
  const auto stored = post_delivery(bot, delivery);
  CHECK(stored.status == 200);
  CHECK(stored.body.starts_with("stored"));
  // Delivered again (GitHub's "Redeliver"): stored once.
  CHECK(post_delivery(bot, delivery).status == 200);
  const auto activity = bot.reader()->ticket_tracker_activity(pr, 10);
  REQUIRE(activity.size() == 1);
  CHECK(activity[0].action == TrackerAction::reviewed);
  CHECK(activity[0].at == time_point_cast<milliseconds>(tuesday + hours(8)));

  // Wednesday 10:00 in Berlin: three working days since anyone *said* anything, but the review
  // was yesterday.
  hand.set(wednesday, hours(8));
  std::this_thread::sleep_for(800ms);
  CHECK(t.teams.count(FakeTeams::create_route) == 0);
  CHECK(t.teams.count(FakeTeams::send_route) == 0);

  // Friday: three working days since the review too. Now it is quiet, and its owner hears of it.
  hand.set(friday, hours(8));
  const auto dm = t.teams.wait_for_call(FakeTeams::send_route, 5s);
  REQUIRE(dm);
  CHECK(dm->body.dump().find(pr) != std::string::npos);
}

TEST_CASE("a delivery with a wrong or missing signature is refused with 401 and nothing is stored",
          "[trackers][teams]") {
  Teams t;
  seed_quiet_pr(t);
  HandClock hand(tuesday, hours(8));
  BotHarness bot(t.config, hand.clock());

  auto forged = github_delivery("pull_request_review", review_now());
  forged.headers["x-hub-signature-256"] = "sha256=" + trackers::hmac_sha256_hex("a guess", forged.body);
  const auto refused = post_delivery(bot, forged);
  CHECK(refused.status == 401);
  CHECK(refused.body.find(tracker_secret) == std::string::npos);
  forged.headers.erase("x-hub-signature-256");
  CHECK(post_delivery(bot, forged).status == 401);
  // Deliveries may be larger than the listener's 256 KB for Teams: a 600 KB one is read (and
  // refused here for its signature, not its size); over 1 MB is 413.
  forged.body.append(600 * 1024, ' ');
  CHECK(post_delivery(bot, forged).status == 401);
  forged.body.append(500 * 1024, ' ');
  CHECK(post_delivery(bot, forged).status == 413);
  CHECK(bot.reader()->ticket_tracker_activity(pr, 10).empty());

  // A tracker whose secret is not set has no endpoint here, and says which variable turns it on.
  const auto jira = http_request(bot.http_port(), "/webhooks/jira", "POST", 10s, {}, "{}");
  CHECK(jira.status == 404);
  CHECK(jira.body.find("JIRA_WEBHOOK_SECRET") != std::string::npos);
  CHECK(http_request(bot.http_port(), "/webhooks/github").status == 405);
  const auto metrics = http_request(bot.http_port(), "/metrics").body;
  CHECK(metrics.find(R"(microalign_tracker_webhooks_total{tracker="github",outcome="unauthorized"})") !=
        std::string::npos);
  CHECK(metrics.find(R"(microalign_tracker_webhooks_total{tracker="jira",outcome="disabled"})") != std::string::npos);
}

namespace {

// Slack, with the three trackers on and Jira's site known; the bot's clock stands still at 14:20
// UTC on Tuesday 1 December 2026, when three tickets were last talked about a day before.
struct TrackedSlack {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");
  HandClock hand{sys_days{year{2026} / December / 1}, hours(14)};
  int envelopes = 0;

  TrackedSlack() {
    pki.trust();
    config.http_addr = "127.0.0.1:0";
    config.trackers.github_secret = Secret(tracker_secret);
    config.trackers.jira_secret = Secret(tracker_secret);
    config.trackers.linear_secret = Secret(tracker_secret);
    config.trackers.homes.jira_url = "https://acme.atlassian.net";
    auto store = storage::SqliteStore::open(config.db_path);
    store->begin();
    for (const std::string ticket : {pr, "VRF-803", "KOR-11"}) {
      Update u;
      u.created_at = now() - days(1);
      u.where = {"T111", "C111", {}};
      u.user = "U111";
      u.parsed.kind = UpdateKind::status;
      u.parsed.state = TicketState::on_track;
      u.parsed.tickets = {ticket};
      u.parsed.text = ticket + " on track";
      store->insert_update(u);
    }
    store->commit();
  }

  SysTime now() const { return SysTime{milliseconds{hand.ms.load()}}; }

  // `/microalign <text>` as U111 in C111: its private answer.
  nlohmann::json answer(const std::string& text) {
    const auto id = "env-" + std::to_string(++envelopes);
    slack.send_envelope(slash_command(id, "/microalign", text, "U111", "C111", slack.response_url(id)));
    auto ack = slack.wait_for_ack(id, 3s);
    REQUIRE(ack);
    return (*ack)["payload"];
  }
};

// The published payload with every 2019 date moved past the bot's clock: it takes them as "now".
std::string dated_now(std::string body) {
  for (auto at = body.find("\"2019-"); at != std::string::npos; at = body.find("\"2019-"))
    body.replace(at, 6, "\"2030-");
  return body;
}

HttpGot post(BotHarness& bot, std::string_view path, const trackers::WebhookRequest& delivery) {
  HttpHeaders headers{{"Content-Type", "application/json"}};
  for (const auto& [name, value] : delivery.headers) headers.emplace_back(name, value);
  return http_request(bot.http_port(), path, "POST", 10s, headers, delivery.body);
}

}  // namespace

TEST_CASE("GitHub, Jira and Linear deliveries on Slack: done when merged, in timelines, lists and digests",
          "[trackers][slack][digest]") {
  TrackedSlack s;
  BotHarness bot(s.config, s.hand.clock());
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  auto merged = nlohmann::json::parse(dated_now(tracker_payload("github/pull_request_closed.json")));
  merged["pull_request"]["merged"] = true;
  merged["pull_request"]["merged_at"] = "2030-05-15T15:21:19Z";
  CHECK(post(bot, "/webhooks/github", github_delivery("pull_request", merged.dump())).status == 200);
  auto moved = nlohmann::json::parse(tracker_payload("jira/server_issue_updated_status.json"));
  moved["timestamp"] = 4'102'444'800'000;  // 2100: taken as now
  CHECK(post(bot, "/webhooks/jira", jira_delivery(moved.dump())).status == 200);
  const auto created_now = [](nlohmann::json& j) {
    j["data"]["createdAt"] = j["data"]["updatedAt"] = "2030-01-01T00:00:00.000Z";
  };
  CHECK(post(bot, "/webhooks/linear", linear_delivery("linear/issue_create.json", s.now(), created_now)).status == 200);

  // The merged PR is done: no longer among the open tickets; the other two are, Jira's linked home.
  const auto open = s.answer("tickets").dump();
  CHECK(open.find(pr) == std::string::npos);
  CHECK(open.find("VRF-803") != std::string::npos);
  CHECK(open.find("https://acme.atlassian.net/browse/VRF-803") != std::string::npos);
  CHECK(open.find("KOR-11") != std::string::npos);

  // Its timeline has what was said and what GitHub did.
  const auto timeline = s.answer(std::string("ticket ") + pr).dump();
  CHECK(timeline.find("on track") != std::string::npos);
  CHECK(timeline.find("🛠 GitHub: PR #2 merged by Codertocat") != std::string::npos);

  // The digest: one line per ticket the trackers moved.
  CHECK(s.answer("digest now").value("text", "") == "Posting the digest now.");
  REQUIRE(eventually([&] { return s.slack.calls("chat.postMessage").size() == 1; }, 5s));
  const auto digest = s.slack.calls("chat.postMessage").at(0).params.dump();
  CHECK(digest.find("In the trackers") != std::string::npos);
  CHECK(digest.find("PR #2 merged") != std::string::npos);
  CHECK(digest.find("VRF-803 moved to To Do") != std::string::npos);
  CHECK(digest.find("KOR-11 opened") != std::string::npos);
}
