// Writes the bot's GET /metrics, as Prometheus scrapes it, to the file its argument names: the
// whole bot serving Slack and Teams against the fakes, after a slash command, a mention and a
// Teams message, so that every family has series (histograms with observations). CTest then runs
// Prometheus' own checker on it (`promtool check metrics`, tests/integration/promtool_check.sh).
#include <fstream>
#include <iostream>

#include "bot_harness.hpp"
#include "fake_teams.hpp"
#include "http_get.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

int fail(const std::string& why) {
  std::cerr << "metrics_samples: " << why << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return fail("usage: metrics_samples FILE");
  TestPki pki;
  FakeSlack slack(pki);
  FakeTeams teams(pki);
  pki.trust();
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");
  config.teams = teams.config();
  BotHarness bot(config);
  if (!slack.wait_for_connections(2, 5s)) return fail("the bot did not connect to the fake Slack");

  slack.send_envelope(
      slash_command("env-1", "/status", "ENG-42 blocked on the vendor", "U111", "C111", slack.response_url("r1")));
  if (!slack.wait_for_ack("env-1", 3s)) return fail("no ack for the slash command");
  slack.send_envelope(app_mention("env-2", "Ev2", "<@UBOT> heads-up: deploy freeze friday", "U111", "C111"));
  if (!slack.wait_for_ack("env-2", 3s)) return fail("no ack for the mention");
  const auto mention = channel_mention(teams, "status ENG-7 on track", "19:general@thread.tacv2");
  if (FakeTeams::post_activity(bot.http_port(), mention, teams.authorization()).status != 200) {
    return fail("the Teams activity was not accepted");
  }
  if (!slack.wait_for_call("chat.postMessage", 5s, 2) || !teams.wait_for_call(FakeTeams::send_route, 5s)) {
    return fail("the echoes were not sent");
  }

  const auto got = http_request(bot.http_port(), "/metrics");
  if (got.status != 200) return fail("GET /metrics answered " + std::to_string(got.status));
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << got.body;
  if (!out) return fail(std::string("cannot write ") + argv[1]);
  if (!bot.stop().empty()) return fail("the bot did not stop cleanly");
  return 0;
}
