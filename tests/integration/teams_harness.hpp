// The whole bot with Microsoft Teams alone, against the fake Bot Framework: for the Teams tests
// and for the connector's and the login's faults (teams_faults_test.cpp).
#pragma once

#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "fake_teams.hpp"

namespace microalign::test {

struct Teams {
  TestPki pki;
  FakeTeams teams{pki};
  TempDir dir;
  Config config;

  Teams() {
    pki.trust();
    config.teams = teams.config();
    config.http_addr = "127.0.0.1:0";
    config.db_path = (dir.path() / "microalign.db").string();
  }

  // POSTs the activity with a valid token (or `authorization`) and returns the HTTP status.
  unsigned post(BotHarness& bot, const nlohmann::json& activity, std::string authorization = {}) {
    if (authorization.empty()) authorization = teams.authorization();
    return FakeTeams::post_activity(bot.http_port(), activity, authorization).status;
  }

  // The activity the connector received `n`-th on `route`, as the bot sent it.
  nlohmann::json sent(std::string_view route, std::size_t n = 1) const {
    const auto call = teams.wait_for_call(route, 5s, n);
    REQUIRE(call);
    return call->body;
  }
};

}  // namespace microalign::test
