// The Bot Framework's inbound JWT, rule by rule (teams.md §2 and §9): each broken rule gives its
// own AuthFailure, and garbage is refused before any key is looked up.
#include <catch2/catch.hpp>
#include <set>

#include "fake_teams.hpp"
#include "microalign/teams/jwt.hpp"
#include "test_pki.hpp"

namespace teams = microalign::teams;
using microalign::SysTime;
using microalign::test::base64url;
using microalign::test::FakeTeams;
using microalign::test::TestPki;
using microalign::test::TokenOptions;
using teams::AuthFailure;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace Catch {
template <>
struct StringMaker<AuthFailure> {
  static std::string convert(AuthFailure failure) { return std::string(teams::to_string(failure)); }
};
}  // namespace Catch

namespace {

// The fake's keys document as the bot's key cache holds it.
std::vector<teams::Jwk> keys_of(const FakeTeams& fake) {
  std::vector<teams::Jwk> keys;
  const Json jwks = fake.jwks();
  for (const Json& entry : jwks["keys"])
    keys.push_back({entry["kid"], entry["n"], entry["e"], entry["endorsements"].get<std::vector<std::string>>()});
  return keys;
}

const SysTime issued_at{std::chrono::sys_days{std::chrono::year{2024} / 4 / 1} + 9h};

// One validation as the bot does it, counting the key look-ups.
struct Check {
  explicit Check(const FakeTeams& fake)
      : keys(keys_of(fake)), rules{fake.options().app_id}, service_url(fake.base_url()) {}

  std::variant<teams::ChannelIdentity, AuthFailure> operator()(std::string_view authorization,
                                                               SysTime now = issued_at) {
    const auto find = [this](std::string_view kid) -> const teams::Jwk* {
      ++lookups;
      for (const auto& key : keys)
        if (key.kid == kid) return &key;
      return nullptr;
    };
    return teams::validate_channel_token(authorization, find, rules, channel_id, service_url, now);
  }

  std::vector<teams::Jwk> keys;
  teams::TokenRules rules;
  std::string channel_id = "msteams";
  std::string service_url;
  int lookups = 0;
};

AuthFailure failure(const std::variant<teams::ChannelIdentity, AuthFailure>& result) {
  REQUIRE(std::holds_alternative<AuthFailure>(result));
  return std::get<AuthFailure>(result);
}

std::string bearer(const FakeTeams& fake, TokenOptions options = {}) {
  options.now = issued_at;
  return fake.authorization(options);
}

}  // namespace

TEST_CASE("A token signed by the channel's current key is valid") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  const auto result = check(bearer(fake));
  REQUIRE(std::holds_alternative<teams::ChannelIdentity>(result));
  const auto& identity = std::get<teams::ChannelIdentity>(result);
  CHECK(identity.service_url == fake.base_url());
  CHECK(identity.audience == fake.options().app_id);
  CHECK(check.lookups == 1);
  CHECK(teams::token_key_id(bearer(fake)) == fake.current_kid());
}

TEST_CASE("Without a Bearer token: no_bearer") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  const std::string token = fake.signed_token({.now = issued_at});
  for (const std::string& header : std::vector<std::string>{"", "Basic dXNlcjpwdw==", "bearer " + token, "Bearer",
                                                            "Bearer ", "Bearer" + token, token}) {
    INFO(header);
    CHECK(failure(check(header)) == AuthFailure::no_bearer);
  }
  CHECK(check.lookups == 0);
}

TEST_CASE("Garbage is malformed and refused before any key is looked up") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  const std::string token = fake.signed_token({.now = issued_at});
  const auto dot = token.find('.');
  const std::string header = token.substr(0, dot);
  const std::string rest = token.substr(dot);
  const std::string payload = token.substr(dot + 1, token.rfind('.') - dot - 1);
  const std::string signature = token.substr(token.rfind('.') + 1);
  for (const std::string& bad : std::vector<std::string>{
           std::string("x"), std::string("a.b"), token + ".extra", std::string(".."),
           "!!!" + rest,                                             // not base64url
           header + "=" + rest,                                      // padding
           base64url("not json") + rest,                             // header not JSON
           base64url("[1,2]") + rest,                                // header not an object
           header + "." + base64url("{\"iss\":") + "." + signature,  // payload not JSON
           header + " ." + payload + "." + signature,                // a space inside
       }) {
    INFO(bad);
    CHECK(failure(check("Bearer " + bad)) == AuthFailure::malformed);
  }
  CHECK(check.lookups == 0);
}

TEST_CASE("A token without exp, or with times that are not numbers, is malformed") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  CHECK(failure(check(bearer(fake, {.omit_exp = true}))) == AuthFailure::malformed);
  CHECK(failure(check(bearer(fake, {.extra_claims = {{"exp", "tomorrow"}}}))) == AuthFailure::malformed);
  CHECK(failure(check(bearer(fake, {.extra_claims = {{"nbf", nullptr}}}))) == AuthFailure::malformed);
  CHECK(check.lookups == 0);
}

TEST_CASE("Huge headers cost no more than small ones") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  // Just over the cap: refused whatever it holds.
  const std::string valid = bearer(fake, {.extra_claims = {{"padding", std::string(17 * 1024, 'x')}}});
  CHECK(failure(check(valid)) == AuthFailure::malformed);
  CHECK_FALSE(teams::token_key_id(valid));

  // A thousand one-megabyte headers would take seconds to decode; refused unread, they take
  // almost nothing.
  const std::string huge = "Bearer " + std::string(1024 * 1024, 'A') + "." + std::string(1024, 'B') + ".C";
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) REQUIRE(failure(check(huge)) == AuthFailure::malformed);
  CHECK(std::chrono::steady_clock::now() - started < 500ms);
  CHECK(check.lookups == 0);
}

TEST_CASE("Only RS256: none, HMAC and other RSA digests are refused before any key is looked up") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  for (const char* alg : {"none", "HS256", "HS512", "RS384", "RS512", "PS256", "ES256", "rs256", ""}) {
    INFO(alg);
    CHECK(failure(check(bearer(fake, {.alg = alg}))) == AuthFailure::algorithm);
  }
  CHECK(check.lookups == 0);
  CHECK(std::holds_alternative<teams::ChannelIdentity>(check(bearer(fake, {.alg = "RS256"}))));
}

TEST_CASE("The issuer must be the Bot Framework's, checked before any key is looked up") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  for (const char* issuer : {"https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
                             "https://api.botframework.com/", "HTTPS://API.BOTFRAMEWORK.COM", ""}) {
    INFO(issuer);
    CHECK(failure(check(bearer(fake, {.iss = issuer}))) == AuthFailure::issuer);
  }
  CHECK(failure(check(bearer(fake, {.extra_claims = {{"iss", 42}}}))) == AuthFailure::issuer);
  // Two rules broken: the first in the order wins.
  CHECK(failure(check(bearer(fake, {.key = TokenOptions::Key::unknown, .iss = "https://evil.example"}))) ==
        AuthFailure::issuer);
  CHECK(check.lookups == 0);
}

TEST_CASE("A kid no key has is unknown_key") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  CHECK(failure(check(bearer(fake, {.key = TokenOptions::Key::unknown}))) == AuthFailure::unknown_key);
  CHECK(teams::token_key_id(bearer(fake, {.key = TokenOptions::Key::unknown})) == "fake-key-never-published");
  // No kid at all.
  const std::string token = fake.signed_token({.now = issued_at});
  Json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  const std::string no_kid = "Bearer " + base64url(header.dump()) + token.substr(token.find('.'));
  CHECK(failure(check(no_kid)) == AuthFailure::unknown_key);
  CHECK_FALSE(teams::token_key_id(no_kid));
}

TEST_CASE("The key must endorse the activity's channel, and a key without endorsements endorses nothing") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  CHECK(failure(check(bearer(fake, {.key = TokenOptions::Key::unendorsed}))) == AuthFailure::endorsement);

  for (auto& key : check.keys) key.endorsements.clear();
  CHECK(failure(check(bearer(fake))) == AuthFailure::endorsement);

  Check other_channel(fake);
  other_channel.channel_id = "webchat";
  CHECK(failure(other_channel(bearer(fake))) == AuthFailure::endorsement);
  other_channel.channel_id = "";
  CHECK(failure(other_channel(bearer(fake))) == AuthFailure::endorsement);
  other_channel.channel_id = "MSTEAMS";
  CHECK(failure(other_channel(bearer(fake))) == AuthFailure::endorsement);
}

TEST_CASE("A signature that does not verify with the key is refused") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  CHECK(failure(check(bearer(fake, {.tamper_payload = true}))) == AuthFailure::signature);
  CHECK(failure(check(bearer(fake, {.tamper_signature = true}))) == AuthFailure::signature);

  // Signed by another key under the current key's kid.
  auto& current = *std::find_if(check.keys.begin(), check.keys.end(),
                                [&](const teams::Jwk& key) { return key.kid == fake.current_kid(); });
  const auto& webchat = *std::find_if(check.keys.begin(), check.keys.end(),
                                      [](const teams::Jwk& key) { return key.kid == "fake-key-webchat"; });
  const teams::Jwk original = current;
  current.n = webchat.n;
  CHECK(failure(check(bearer(fake))) == AuthFailure::signature);

  // A key the bot cannot use: n not base64url, a short modulus.
  current.n = "not base64!";
  CHECK(failure(check(bearer(fake))) == AuthFailure::signature);
  current.n = original.n.substr(0, original.n.size() / 2);
  CHECK(failure(check(bearer(fake))) == AuthFailure::signature);
  current.n = original.n;
  current.e = "";
  CHECK(failure(check(bearer(fake))) == AuthFailure::signature);
  current.e = original.e;
  CHECK(std::holds_alternative<teams::ChannelIdentity>(check(bearer(fake))));

  // The signature part removed.
  const std::string token = bearer(fake);
  CHECK(failure(check(token.substr(0, token.rfind('.') + 1))) == AuthFailure::signature);
}

TEST_CASE("The audience must be the bot's app id") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  CHECK(failure(check(bearer(fake, {.aud = "another-bot"}))) == AuthFailure::audience);
  CHECK(failure(check(bearer(fake, {.aud = "https://api.botframework.com"}))) == AuthFailure::audience);
  CHECK(failure(check(bearer(fake, {.extra_claims = {{"aud", Json::array({fake.options().app_id})}}}))) ==
        AuthFailure::audience);
  check.rules.app_id = "";
  CHECK(failure(check(bearer(fake, {.aud = ""}))) == AuthFailure::audience);
}

TEST_CASE("exp and nbf are honoured with five minutes of skew") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  const auto valid = [](const auto& result) { return std::holds_alternative<teams::ChannelIdentity>(result); };

  SECTION("exp") {
    const std::string token = bearer(fake, {.expires_in = 3600s});
    const SysTime expires = issued_at + 3600s;
    CHECK(valid(check(token, expires)));
    CHECK(valid(check(token, expires + 300s)));
    CHECK(failure(check(token, expires + 301s)) == AuthFailure::expired);
    CHECK(failure(check(token, expires + 300s + 1ms)) == AuthFailure::expired);
    CHECK(failure(check(bearer(fake, {.expires_in = -3600s}))) == AuthFailure::expired);
  }
  SECTION("nbf") {
    const std::string token = bearer(fake, {.not_before_in = 600s});
    const SysTime not_before = issued_at + 600s;
    CHECK(failure(check(token)) == AuthFailure::not_yet_valid);
    CHECK(failure(check(token, not_before - 301s)) == AuthFailure::not_yet_valid);
    CHECK(failure(check(token, not_before - 300s - 1ms)) == AuthFailure::not_yet_valid);
    CHECK(valid(check(token, not_before - 300s)));
    CHECK(valid(check(token, not_before)));
  }
  SECTION("a shorter skew") {
    check.rules.skew = 0s;
    const std::string token = bearer(fake, {.expires_in = 60s});
    CHECK(valid(check(token, issued_at + 60s)));
    CHECK(failure(check(token, issued_at + 61s)) == AuthFailure::expired);
  }
  SECTION("no nbf is fine") { CHECK(valid(check(bearer(fake, {.omit_nbf = true})))); }
}

TEST_CASE("The serviceurl claim must be there and equal the activity's serviceUrl, ignoring case") {
  TestPki pki;
  FakeTeams fake(pki);
  Check check(fake);
  CHECK(failure(check(bearer(fake, {.omit_serviceurl = true}))) == AuthFailure::service_url);
  CHECK(failure(check(bearer(fake, {.serviceurl = ""}))) == AuthFailure::service_url);
  CHECK(failure(check(bearer(fake, {.serviceurl = "https://evil.example/"}))) == AuthFailure::service_url);
  CHECK(failure(check(bearer(fake, {.serviceurl = fake.base_url() + "x"}))) == AuthFailure::service_url);

  std::string upper = fake.base_url();
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  CHECK(std::holds_alternative<teams::ChannelIdentity>(check(bearer(fake, {.serviceurl = upper}))));
  check.service_url = "";
  CHECK(failure(check(bearer(fake))) == AuthFailure::service_url);
}

TEST_CASE("Each failure reads as its own phrase") {
  std::set<std::string_view> phrases;
  for (int i = 0; i <= static_cast<int>(AuthFailure::service_url); ++i) {
    const auto phrase = teams::to_string(static_cast<AuthFailure>(i));
    CHECK_FALSE(phrase.empty());
    phrases.insert(phrase);
  }
  CHECK(phrases.size() == static_cast<std::size_t>(AuthFailure::service_url) + 1);
  CHECK(teams::to_string(AuthFailure::issuer) == "issuer is not https://api.botframework.com");
}

TEST_CASE("token_key_id reads the kid without checking anything else") {
  TestPki pki;
  FakeTeams fake(pki);
  CHECK(teams::token_key_id(fake.authorization({.alg = "none", .iss = "x"})) == fake.current_kid());
  CHECK_FALSE(teams::token_key_id(""));
  CHECK_FALSE(teams::token_key_id("Basic abc"));
  CHECK_FALSE(teams::token_key_id("Bearer !!!.x.y"));
  CHECK_FALSE(teams::token_key_id("Bearer " + base64url("{\"kid\":7}") + ".x.y"));
}
