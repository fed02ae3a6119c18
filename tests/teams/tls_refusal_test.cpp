// The client secret goes only to a login endpoint whose certificate chains to a trusted CA and
// names the host asked for, and the connector's token only to a serviceUrl whose certificate
// chains to one: a server that fails the check never receives them.
#include <catch2/catch.hpp>

#include "fake_teams.hpp"
#include "loop.hpp"
#include "microalign/storage/transactions.hpp"
#include "microalign/teams/activity.hpp"
#include "microalign/teams/teams_platform.hpp"
#include "microalign/teams/token_client.hpp"
#include "test_pki.hpp"

namespace teams = microalign::teams;
using microalign::test::FakeTeams;
using microalign::test::Loop;
using microalign::test::ManualClock;
using microalign::test::TestPki;
using namespace std::chrono_literals;

namespace {

// The platform reads a conversation's serviceUrl from storage only when it has not heard it.
class NoStorage final : public microalign::storage::Transactions {
 public:
  std::shared_ptr<microalign::storage::Ticket> submit(Work, Done done) override {
    if (done) done(microalign::storage::CommitOutcome{"no storage in this test"});
    return std::make_shared<microalign::storage::Ticket>();
  }
};

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

TEST_CASE("the connector's token is not sent to a serviceUrl whose certificate is from an unknown CA", "[teams][tls]") {
  TestPki trusted;
  FakeTeams login(trusted);
  TestPki stranger;
  FakeTeams connector(stranger);
  Loop loop(trusted);
  ManualClock clock;
  NoStorage storage;
  auto config = login.config();
  config.api_timeout = 2s;
  teams::TeamsPlatform platform(loop.ioc.get_executor(), loop.tls, config, storage, clock.function());
  teams::Activity heard;
  heard.service_url = connector.base_url();
  heard.conversation_id = "19:general@thread.tacv2";
  heard.tenant_id = login.options().tenant_id;
  platform.heard(heard);

  microalign::storage::OutboxMessage message;
  message.platform = "teams";
  message.team = heard.tenant_id;
  message.destination = heard.conversation_id;
  message.message = microalign::Message{"hello", {microalign::Section{{microalign::plain("hello")}}}};
  const auto outcome = loop.run(platform.send(message, heard.conversation_id, std::nullopt));
  CHECK(login.count(FakeTeams::token_route) == 1);  // the token was got: the refusal is the connector's
  CHECK_FALSE(outcome.ok);
  CHECK_THAT(outcome.error, Catch::Contains("certificate verify failed"));
  CHECK(connector.calls().empty());
}
