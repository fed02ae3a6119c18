// The Bot Framework's signing keys fetched from the fake's OpenID metadata and JWKS: cached,
// refetched on an unknown kid at most once a minute, refreshed daily, kept when a fetch fails.
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include "fake_teams.hpp"
#include "loop.hpp"
#include "microalign/teams/openid_keys.hpp"
#include "test_pki.hpp"

namespace asio = boost::asio;
namespace teams = microalign::teams;
using microalign::test::FakeTeams;
using microalign::test::Loop;
using microalign::test::ManualClock;
using microalign::test::Reply;
using microalign::test::TestPki;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  Fixture() : loop(pki), keys(loop.ioc.get_executor(), loop.tls, fake.openid_metadata_url(), clock.function(), 1s) {}

  std::optional<teams::Jwk> key(const std::string& kid) { return loop.run(keys.key(kid)); }
  std::size_t fetches() const { return fake.count(FakeTeams::keys_route); }

  TestPki pki;
  FakeTeams fake{pki};
  ManualClock clock;
  Loop loop;
  teams::OpenIdKeys keys;
};

}  // namespace

TEST_CASE("The first key asked for fetches the metadata and the keys, over GET") {
  Fixture f;
  const auto key = f.key(f.fake.current_kid());
  REQUIRE(key);
  CHECK(key->kid == f.fake.current_kid());
  CHECK(key->endorsements == std::vector<std::string>{"msteams"});
  CHECK_FALSE(key->n.empty());
  CHECK(key->e == "AQAB");
  CHECK(f.fake.count(FakeTeams::openid_route) == 1);
  CHECK(f.fetches() == 1);
  CHECK(f.fake.calls(FakeTeams::keys_route).front().method == "GET");

  const auto webchat = f.key("fake-key-webchat");
  REQUIRE(webchat);
  CHECK(webchat->endorsements == std::vector<std::string>{"webchat"});
}

TEST_CASE("Known keys come from the cache") {
  Fixture f;
  REQUIRE(f.key(f.fake.current_kid()));
  f.clock.now += 23h;
  for (int i = 0; i < 5; ++i) REQUIRE(f.key(f.fake.current_kid()));
  CHECK(f.fetches() == 1);
  CHECK(f.fake.count(FakeTeams::openid_route) == 1);
}

TEST_CASE("An unknown kid refetches once, then at most once a minute") {
  Fixture f;
  REQUIRE(f.key(f.fake.current_kid()));
  f.clock.now += 2min;
  CHECK_FALSE(f.key("bogus-1"));
  CHECK(f.fetches() == 2);
  f.clock.now += 30s;
  CHECK_FALSE(f.key("bogus-2"));
  CHECK_FALSE(f.key("bogus-3"));
  CHECK(f.fetches() == 2);
  f.clock.now += 31s;
  CHECK_FALSE(f.key("bogus-4"));
  CHECK(f.fetches() == 3);
  CHECK_FALSE(f.key(""));  // no kid: nothing to fetch for
  CHECK(f.fetches() == 3);
}

TEST_CASE("A rotated key is picked up at the first token that names it") {
  Fixture f;
  const std::string old_kid = f.fake.current_kid();
  REQUIRE(f.key(old_kid));
  f.clock.now += 5min;

  SECTION("the old key dropped") {
    const std::string new_kid = f.fake.rotate_key();
    const auto key = f.key(new_kid);
    REQUIRE(key);
    CHECK(key->kid == new_kid);
    CHECK(f.fetches() == 2);
    CHECK_FALSE(f.key(old_kid));  // gone from the document, so gone from the cache
    CHECK(f.fetches() == 2);
  }
  SECTION("the old key kept") {
    const std::string new_kid = f.fake.rotate_key(/*keep_old=*/true);
    REQUIRE(f.key(new_kid));
    REQUIRE(f.key(old_kid));
    CHECK(f.fetches() == 2);
  }
}

TEST_CASE("A rotation within the minute after a fetch waits for the minute to pass") {
  Fixture f;
  REQUIRE(f.key(f.fake.current_kid()));
  const std::string new_kid = f.fake.rotate_key();
  f.clock.now += 10s;
  CHECK_FALSE(f.key(new_kid));
  f.clock.now += 50s;
  CHECK(f.key(new_kid));
  CHECK(f.fetches() == 2);
}

TEST_CASE("Keys older than a day are refreshed") {
  Fixture f;
  const std::string old_kid = f.fake.current_kid();
  REQUIRE(f.key(old_kid));
  f.fake.rotate_key();
  f.clock.now += 24h;
  CHECK_FALSE(f.key(old_kid));  // the day-old cache was refreshed, and the old key is gone
  CHECK(f.fetches() == 2);
}

TEST_CASE("A failed refresh keeps the keys known") {
  Fixture f;
  const std::string kid = f.fake.current_kid();
  REQUIRE(f.key(kid));

  SECTION("HTTP 500") {
    f.fake.reply_next(FakeTeams::keys_route, Reply{500, {}, "oops"});
    f.clock.now += 25h;
    CHECK(f.key(kid));  // the stale cache still answers
    CHECK(f.fetches() == 2);
    f.clock.now += 30s;
    CHECK(f.key(kid));  // and the failed refresh is not retried within the minute
    CHECK(f.fetches() == 2);
    f.clock.now += 31s;
    CHECK(f.key(kid));
    CHECK(f.fetches() == 3);
  }
  SECTION("the metadata fails") {
    f.fake.reply_next(FakeTeams::openid_route, Reply{503, {}, ""});
    const std::string why = f.loop.run(f.keys.refresh());
    CHECK(why.find("HTTP 503") != std::string::npos);
    CHECK(why.find("/v1/.well-known/openidconfiguration") != std::string::npos);
    CHECK(f.key(kid));
  }
  SECTION("timeout") {
    f.fake.reply_next(FakeTeams::keys_route, Reply{200, {}, "{}", 3s});
    const std::string why = f.loop.run(f.keys.refresh());
    CHECK(why.find("timeout") != std::string::npos);
    CHECK(f.key(kid));
  }
  SECTION("not JSON") {
    f.fake.reply_next(FakeTeams::keys_route, Reply{200, {}, "<html>"});
    CHECK(f.loop.run(f.keys.refresh()).find("not a JSON object") != std::string::npos);
    CHECK(f.key(kid));
  }
  SECTION("no usable keys") {
    const Json only_unusable = {{"keys",
                                 {{{"kty", "EC"}, {"kid", "ec-1"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}},
                                  {{"kty", "RSA"}, {"kid", "no-modulus"}, {"e", "AQAB"}},
                                  {{"kty", "RSA"}, {"n", "AQAB"}, {"e", "AQAB"}}}}};
    f.fake.reply_next(FakeTeams::keys_route, Reply::json(only_unusable));
    CHECK(f.loop.run(f.keys.refresh()).find("no RSA signing keys") != std::string::npos);
    CHECK(f.key(kid));
  }
}

TEST_CASE("Keys that are not RSA, or lack n or e, are skipped") {
  Fixture f;
  Json jwks = f.fake.jwks();
  jwks["keys"].push_back({{"kty", "EC"}, {"kid", "ec-1"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}});
  jwks["keys"].push_back({{"kty", "RSA"}, {"kid", "no-exponent"}, {"n", "AQAB"}});
  jwks["keys"].push_back({{"kty", "RSA"}, {"kid", "no-endorsements"}, {"n", "AQAB"}, {"e", "AQAB"}});
  f.fake.reply_next(FakeTeams::keys_route, Reply::json(jwks));
  REQUIRE(f.loop.run(f.keys.refresh()).empty());
  CHECK(f.key(f.fake.current_kid()));
  CHECK_FALSE(f.key("ec-1"));
  CHECK_FALSE(f.key("no-exponent"));
  const auto bare = f.key("no-endorsements");
  REQUIRE(bare);
  CHECK(bare->endorsements.empty());
  CHECK(f.fetches() == 1);
}

TEST_CASE("A jwks_uri that is not https is refused") {
  Fixture f;
  f.fake.set_jwks_uri("http://127.0.0.1:" + f.fake.port() + "/v1/.well-known/keys");
  const std::string why = f.loop.run(f.keys.refresh());
  CHECK(why.find("jwks_uri is not an https URL") != std::string::npos);
  CHECK_FALSE(f.key(f.fake.current_kid()));
  CHECK(f.fetches() == 0);
}

TEST_CASE("A metadata URL that is not https is refused without a request") {
  TestPki pki;
  FakeTeams fake(pki);
  ManualClock clock;
  Loop loop(pki);
  teams::OpenIdKeys keys(loop.ioc.get_executor(), loop.tls, "http://127.0.0.1:" + fake.port() + "/v1/x",
                         clock.function());
  CHECK(loop.run(keys.refresh()) == "the OpenID metadata URL is not an https URL");
  CHECK(fake.calls().empty());
}

TEST_CASE("Callers asking for keys at once share one fetch") {
  Fixture f;
  f.fake.reply_next(FakeTeams::keys_route, Reply{200, {}, f.fake.jwks().dump(), 200ms});
  std::vector<asio::awaitable<std::optional<teams::Jwk>>> asks;
  for (int i = 0; i < 3; ++i) asks.push_back(f.keys.key(f.fake.current_kid()));
  asks.push_back(f.keys.key("bogus"));
  const auto found = f.loop.run_all(std::move(asks));
  CHECK(found[0]);
  CHECK(found[1]);
  CHECK(found[2]);
  CHECK_FALSE(found[3]);
  CHECK(f.fetches() == 1);
}

TEST_CASE("Closing the keys fails a fetch in progress and fetches nothing afterwards") {
  Fixture f;
  f.fake.reply_next(FakeTeams::keys_route, Reply{200, {}, f.fake.jwks().dump(), 2s});
  // A named lambda: a coroutine's closure must outlive the coroutine.
  const auto close_soon = [&]() -> asio::awaitable<void> {
    asio::steady_timer wait(f.loop.ioc, 100ms);
    co_await wait.async_wait(asio::use_awaitable);
    f.keys.close();
  };
  asio::co_spawn(f.loop.ioc, close_soon(), asio::detached);
  CHECK(f.loop.run(f.keys.refresh(), 1s) == "closed");
  CHECK_FALSE(f.key(f.fake.current_kid()));
  CHECK(f.fake.count(FakeTeams::openid_route) == 1);
}

TEST_CASE("A keys document nested 100,000 deep is a failed fetch, refused before it is parsed") {
  Fixture f;
  f.fake.reply_next(FakeTeams::keys_route,
                    Reply{200, {}, R"({"keys":)" + std::string(100'000, '[') + std::string(100'000, ']') + "}"});
  CHECK_FALSE(f.key(f.fake.current_kid()));
  f.clock.now += 2min;
  CHECK(f.key(f.fake.current_kid()));  // the next fetch, of an ordinary document, works
}
