// The client secret goes only to a login endpoint whose certificate chains to a trusted CA and
// names the host asked for: a server that fails either check never receives the form.
#include <catch2/catch.hpp>

#include "fake_teams.hpp"
#include "loop.hpp"
#include "microalign/teams/token_client.hpp"
#include "test_pki.hpp"

namespace teams = microalign::teams;
using microalign::test::FakeTeams;
using microalign::test::Loop;
using microalign::test::ManualClock;
using microalign::test::TestPki;
using namespace std::chrono_literals;

namespace {

// The token client of a bot trusting `trusted`, asking `fake` for its token.
teams::TokenError refused_token(const TestPki& trusted, const FakeTeams& fake) {
  Loop loop(trusted);
  ManualClock clock;
  auto config = fake.config();
  config.api_timeout = 2s;
  teams::TokenClient client(loop.ioc.get_executor(), loop.tls, config, clock.function());
  const auto outcome = loop.run(client.authorization());
  REQUIRE(std::holds_alternative<teams::TokenError>(outcome));
  const auto error = std::get<teams::TokenError>(outcome);
  CHECK(error.reason.find(fake.options().app_password) == std::string::npos);
  CHECK(fake.count(FakeTeams::token_route) == 0);
  return error;
}

}  // namespace

TEST_CASE("the token client refuses a login endpoint whose certificate is from an unknown CA", "[teams][tls]") {
  TestPki trusted;
  TestPki stranger;
  FakeTeams fake(stranger);
  CHECK_THAT(refused_token(trusted, fake).reason, Catch::Contains("certificate verify failed"));
}

TEST_CASE("the token client refuses a login endpoint whose certificate names another host", "[teams][tls]") {
  TestPki pki({"DNS:wrong.example"});
  FakeTeams fake(pki);
  CHECK_THAT(refused_token(pki, fake).reason, Catch::Contains("mismatch"));
}
