// The bot's client-credentials token for the Bot Connector, against the fake's token endpoint:
// fetched once, cached until five minutes before it expires, shared between callers, and
// failures told apart (try later or fix the configuration) without the secret.
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include "fake_teams.hpp"
#include "loop.hpp"
#include "microalign/teams/token_client.hpp"
#include "test_pki.hpp"

namespace asio = boost::asio;
namespace teams = microalign::teams;
using microalign::TeamsConfig;
using microalign::test::FakeTeams;
using microalign::test::Loop;
using microalign::test::ManualClock;
using microalign::test::oauth_error;
using microalign::test::Reply;
using microalign::test::TestPki;
using Json = nlohmann::json;
using Outcome = std::variant<std::string, teams::TokenError>;
using namespace std::chrono_literals;

namespace {

TeamsConfig with_timeout(TeamsConfig config) {
  config.api_timeout = 1s;
  return config;
}

struct Fixture {
  explicit Fixture(TeamsConfig (*adjust)(TeamsConfig) = with_timeout)
      : loop(pki), client(loop.ioc.get_executor(), loop.tls, adjust(fake.config()), clock.function()) {}

  Outcome authorization() { return loop.run(client.authorization()); }
  std::size_t fetches() const { return fake.count(FakeTeams::token_route); }

  TestPki pki;
  FakeTeams fake{pki};
  ManualClock clock;
  Loop loop;
  teams::TokenClient client;
};

std::string bearer(const Outcome& outcome) {
  if (const auto* error = std::get_if<teams::TokenError>(&outcome)) FAIL("token error: " << error->reason);
  return std::get<std::string>(outcome);
}

teams::TokenError error_of(const Outcome& outcome) {
  REQUIRE(std::holds_alternative<teams::TokenError>(outcome));
  return std::get<teams::TokenError>(outcome);
}

}  // namespace

TEST_CASE("The token is fetched with the client-credentials form, then cached") {
  Fixture f;
  CHECK(bearer(f.authorization()) == "Bearer fake-token-1");
  CHECK(bearer(f.authorization()) == "Bearer fake-token-1");
  REQUIRE(f.fetches() == 1);

  const auto call = f.fake.calls(FakeTeams::token_route).front();
  CHECK(call.method == "POST");
  CHECK(call.target == "/" + f.fake.options().tenant_id + "/oauth2/v2.0/token");
  CHECK(call.content_type == "application/x-www-form-urlencoded");
  CHECK(call.authorization.empty());
  CHECK(call.body["grant_type"] == "client_credentials");
  CHECK(call.body["client_id"] == f.fake.options().app_id);
  CHECK(call.body["client_secret"] == f.fake.options().app_password);  // "~/+=&" survived encoding
  CHECK(call.body["scope"] == "https://api.botframework.com/.default");
}

TEST_CASE("The token is refreshed five minutes before it expires") {
  Fixture f;
  REQUIRE(bearer(f.authorization()) == "Bearer fake-token-1");
  f.clock.now += 54min + 59s;
  CHECK(bearer(f.authorization()) == "Bearer fake-token-1");
  f.clock.now += 1s;  // 55 minutes into an hour-long token
  CHECK(bearer(f.authorization()) == "Bearer fake-token-2");
  CHECK(f.fetches() == 2);

  SECTION("a short-lived token is used by the call that fetched it, and not kept") {
    f.fake.set_token_lifetime(120s);
    f.clock.now += 1h;
    CHECK(bearer(f.authorization()) == "Bearer fake-token-3");
    CHECK(bearer(f.authorization()) == "Bearer fake-token-4");
  }
}

TEST_CASE("Callers asking for the token at once share one fetch") {
  Fixture f;
  f.fake.reply_next(FakeTeams::token_route,
                    Reply{200, {}, R"({"token_type":"Bearer","expires_in":3600,"access_token":"slow-token"})", 200ms});
  std::vector<asio::awaitable<Outcome>> asks;
  for (int i = 0; i < 4; ++i) asks.push_back(f.client.authorization());
  for (const auto& outcome : f.loop.run_all(std::move(asks))) CHECK(bearer(outcome) == "Bearer slow-token");
  CHECK(f.fetches() == 1);
}

TEST_CASE("Callers asking for the token at once share one failure") {
  Fixture f;
  f.fake.reply_next(FakeTeams::token_route, Reply{503, {}, "", 200ms});
  std::vector<asio::awaitable<Outcome>> asks;
  for (int i = 0; i < 3; ++i) asks.push_back(f.client.authorization());
  for (const auto& outcome : f.loop.run_all(std::move(asks))) CHECK(error_of(outcome).reason == "HTTP 503");
  CHECK(f.fetches() == 1);
  CHECK(bearer(f.authorization()) == "Bearer fake-token-1");  // failures are not kept
}

TEST_CASE("forget() makes the next call fetch a new token") {
  Fixture f;
  REQUIRE(bearer(f.authorization()) == "Bearer fake-token-1");
  f.client.forget();
  CHECK(bearer(f.authorization()) == "Bearer fake-token-2");
  CHECK(bearer(f.authorization()) == "Bearer fake-token-2");
  CHECK(f.fetches() == 2);
}

TEST_CASE("Failures say whether trying later can help, and never carry the secret") {
  Fixture f;
  const std::string secret = f.fake.options().app_password;
  const auto refused = [&](const Outcome& outcome) {
    auto error = error_of(outcome);
    CHECK(error.reason.find(secret) == std::string::npos);
    return error;
  };

  SECTION("a wrong secret: 401, permanent") {
    f.fake.reply_next(FakeTeams::token_route,
                      oauth_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Trace ID: x"));
    const auto error = refused(f.authorization());
    CHECK(error.reason == "HTTP 401 (invalid_client, AADSTS7000215)");
    CHECK_FALSE(error.transient);
  }
  SECTION("a server echoing the secret back") {
    f.fake.reply_next(FakeTeams::token_route, oauth_error(400, "bad secret " + secret, "AADSTS1: " + secret));
    const auto error = refused(f.authorization());
    CHECK(error.reason.starts_with("HTTP 400 (bad secret (secret)"));
    CHECK_FALSE(error.transient);
  }
  SECTION("500: transient") {
    f.fake.reply_next(FakeTeams::token_route, Reply{500, {}, "{}"});
    const auto error = refused(f.authorization());
    CHECK(error.reason == "HTTP 500");
    CHECK(error.transient);
  }
  SECTION("429: transient") {
    f.fake.reply_next(FakeTeams::token_route, Reply::rate_limited(3s));
    const auto error = refused(f.authorization());
    CHECK(error.reason.starts_with("HTTP 429"));
    CHECK(error.transient);
  }
  SECTION("timeout: transient") {
    f.fake.reply_next(FakeTeams::token_route, Reply{200, {}, "{}", 3s});
    const auto error = refused(f.authorization());
    CHECK(error.reason.find("timeout") != std::string::npos);
    CHECK(error.transient);
  }
  SECTION("an answer that is not a token: permanent") {
    for (const char* body : {"<html>", R"({"token_type":"Bearer","expires_in":3600})",
                             R"({"token_type":"mac","expires_in":3600,"access_token":"x"})",
                             R"({"token_type":"Bearer","expires_in":"soon","access_token":"x"})",
                             R"({"token_type":"Bearer","expires_in":3600,"access_token":"a b"})"}) {
      INFO(body);
      f.fake.reply_next(FakeTeams::token_route, Reply{200, {}, body});
      const auto error = refused(f.authorization());
      CHECK(error.reason == "the token endpoint's answer is not a bearer token");
      CHECK_FALSE(error.transient);
    }
  }
  CHECK(bearer(f.authorization()) == "Bearer fake-token-1");  // the next call tries again
}

TEST_CASE("expires_in as a string, as Entra's v1 endpoint sends it, is understood") {
  Fixture f;
  f.fake.reply_next(FakeTeams::token_route,
                    Reply{200, {}, R"({"token_type":"bearer","expires_in":"3599","access_token":"v1-token"})"});
  CHECK(bearer(f.authorization()) == "Bearer v1-token");
  f.clock.now += 54min;
  CHECK(bearer(f.authorization()) == "Bearer v1-token");
}

TEST_CASE("The fake's own checks: a wrong secret or client id is refused") {
  SECTION("secret") {
    Fixture f([](TeamsConfig config) {
      config.api_timeout = 1s;
      config.app_password = microalign::Secret("not-the-secret");
      return config;
    });
    const auto error = error_of(f.authorization());
    CHECK(error.reason == "HTTP 401 (invalid_client, AADSTS7000215)");
    CHECK_FALSE(error.transient);
    CHECK(error.reason.find("not-the-secret") == std::string::npos);
  }
  SECTION("client id") {
    Fixture f([](TeamsConfig config) {
      config.api_timeout = 1s;
      config.app_id = "someone-else";
      return config;
    });
    CHECK(error_of(f.authorization()).reason == "HTTP 400 (unauthorized_client, AADSTS700016)");
  }
  SECTION("tenant") {
    Fixture f([](TeamsConfig config) {
      config.api_timeout = 1s;
      config.login_url = config.login_url.substr(0, config.login_url.rfind('/') + 1) + "other-tenant";
      return config;
    });
    CHECK(error_of(f.authorization()).reason == "HTTP 400 (invalid_request, AADSTS90002)");
  }
}

TEST_CASE("A login endpoint that cannot be reached is a transient failure") {
  TestPki pki;
  ManualClock clock;
  Loop loop(pki);
  TeamsConfig config;
  config.app_id = "app";
  config.app_password = microalign::Secret("s3cret");
  config.tenant_id = "tenant";
  config.login_url = "https://127.0.0.1:1/tenant";  // nothing listens on port 1
  config.api_timeout = 1s;
  teams::TokenClient client(loop.ioc.get_executor(), loop.tls, config, clock.function());
  const auto error = error_of(loop.run(client.authorization()));
  CHECK(error.transient);
  CHECK(error.reason.starts_with("POST token endpoint: "));
}

TEST_CASE("Closing the token client fails a fetch in progress and every later call") {
  Fixture f;
  f.fake.reply_next(FakeTeams::token_route, Reply{200, {}, "{}", 2s});
  // A named lambda: a coroutine's closure must outlive the coroutine.
  const auto close_soon = [&]() -> asio::awaitable<void> {
    asio::steady_timer wait(f.loop.ioc, 100ms);
    co_await wait.async_wait(asio::use_awaitable);
    f.client.close();
  };
  asio::co_spawn(f.loop.ioc, close_soon(), asio::detached);
  CHECK(error_of(f.loop.run(f.client.authorization(), 1s)).reason == "closed");
  CHECK(error_of(f.authorization()).reason == "closed");
  CHECK(f.fetches() == 1);  // recorded when it arrived; its answer came too late
}

TEST_CASE("a token answer with expires_in 9223372036854775807 is refused, not undefined") {
  // The refresh time, counted in the clock's nanoseconds, overflowed a signed integer (undefined
  // behaviour) for a lifetime this long; 1e10 and fractions were never integers at all.
  Fixture f;
  for (const char* lifetime :
       {"9223372036854775807", "18446744073709551615", "1000000000", "1e10", "1e300", "3600.5", "-1", "0"}) {
    INFO(lifetime);
    f.fake.reply_next(
        FakeTeams::token_route,
        Reply{200, {}, std::string(R"({"token_type":"Bearer","access_token":"x","expires_in":)") + lifetime + "}"});
    const auto error = error_of(f.authorization());
    CHECK(error.reason == "the token endpoint's answer is not a bearer token");
  }
  f.fake.reply_next(FakeTeams::token_route,
                    Reply{200, {}, R"({"token_type":"Bearer","access_token":"long-lived","expires_in":999999999})"});
  CHECK(bearer(f.authorization()) == "Bearer long-lived");
}

TEST_CASE("a token answer nested 100,000 deep is refused before it is parsed") {
  Fixture f;
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  f.fake.reply_next(FakeTeams::token_route, Reply{200, {}, deep});
  CHECK(error_of(f.authorization()).reason == "the token endpoint's answer is not a bearer token");
  f.fake.reply_next(FakeTeams::token_route, Reply{400, {}, R"({"error":)" + deep + "}"});
  CHECK(error_of(f.authorization()).reason == "HTTP 400");
}
