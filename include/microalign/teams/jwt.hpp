// Validating the Bot Framework's inbound JWT the way its ChannelValidation does, and stricter
// where its SDKs are lax (shared/protocols/teams.md §2, §9): a Bearer token, RS256 only, issuer
// https://api.botframework.com, the signing key found by `kid` among the OpenID keys with the
// channel id among its endorsements, `aud` the bot's app id, `exp`/`nbf` within five minutes of
// skew, and a `serviceurl` claim equal (ignoring case) to the activity's serviceUrl. Nothing turns
// it off. Pure apart from OpenSSL's signature check: the keys and the time are given.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "microalign/core/model.hpp"

namespace microalign::teams {

// A signing key from the OpenID keys document (a JWK): RSA modulus and exponent, base64url.
struct Jwk {
  std::string kid;
  std::string n;
  std::string e;
  std::vector<std::string> endorsements;  // channel ids the key may sign for ("msteams")
};

// The first rule a token broke: said in the log (never the token itself), answered with 401.
enum class AuthFailure {
  no_bearer,      // no Authorization header, or not "Bearer <token>"
  malformed,      // over 16 KB, not three base64url parts of JSON, or no numeric exp
  algorithm,      // alg is not RS256 (none, HS256, RS512…)
  issuer,         // iss is not https://api.botframework.com
  unknown_key,    // no key with the token's kid
  endorsement,    // the key does not endorse the activity's channel
  signature,      // the signature does not verify
  audience,       // aud is not the bot's app id
  expired,        // exp more than the skew ago
  not_yet_valid,  // nbf more than the skew ahead
  service_url,    // no serviceurl claim, or not the activity's serviceUrl
};
// "issuer is not https://api.botframework.com", … — one short phrase for the log.
std::string_view to_string(AuthFailure);

struct TokenRules {
  std::string app_id;  // MicrosoftAppId: the only audience
  std::string issuer = "https://api.botframework.com";
  std::chrono::seconds skew{300};
};

// What a valid token vouches for.
struct ChannelIdentity {
  std::string service_url;
  std::string audience;
};

// The `kid` of a Bearer token's header, without checking anything else: to find (or fetch) its
// key before validating. nullopt when there is no readable kid.
std::optional<std::string> token_key_id(std::string_view authorization);

// Validates the Authorization header's value for an activity from `channel_id` whose
// serviceUrl is `service_url`. `find_key` returns the key with a kid, or nullptr; it is called
// at most once, and only for a well-formed RS256 token from the right issuer. The rules are
// checked in the order of AuthFailure, and the first one broken is the answer.
std::variant<ChannelIdentity, AuthFailure> validate_channel_token(
    std::string_view authorization, const std::function<const Jwk*(std::string_view kid)>& find_key, const TokenRules&,
    std::string_view channel_id, std::string_view service_url, SysTime now);

}  // namespace microalign::teams
