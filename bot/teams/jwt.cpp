#include "microalign/teams/jwt.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "microalign/core/json_fields.hpp"
#include "microalign/core/outside_json.hpp"

namespace microalign::teams {
namespace {

using Json = nlohmann::json;

// Real channel tokens are about 1.5 KB. Anything over this is refused before it is decoded, so
// garbage costs the same whatever its size.
constexpr std::size_t max_authorization_bytes = 16 * 1024;
// Microsoft's keys are 2048-bit RSA; a shorter modulus in the keys document is not trusted.
constexpr int min_rsa_bits = 2048;

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

// base64url without padding (RFC 7515 §2); nullopt on any other character or an impossible
// length.
std::optional<std::string> base64url_decode(std::string_view in) {
  static constexpr auto table = [] {
    std::array<signed char, 256> t{};
    t.fill(-1);
    const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < alphabet.size(); ++i)
      t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return t;
  }();
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : in) {
    const int value = table[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

// A base64url part that decodes to a JSON object; a discarded value otherwise.
Json json_part(std::string_view part) {
  const auto text = base64url_decode(part);
  if (!text) return Json(Json::value_t::discarded);
  Json parsed = read_outside_json(*text).value;
  if (!parsed.is_object()) return Json(Json::value_t::discarded);
  return parsed;
}

// The token of "Bearer <token>": the scheme exactly so, one space, then a token.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "Bearer ";
  if (!authorization.starts_with(scheme) || authorization.size() == scheme.size()) return std::nullopt;
  return authorization.substr(scheme.size());
}

struct Parts {
  std::string_view signed_part;  // "header.payload", as signed
  std::string_view signature;
  Json header;
  Json payload;
};

std::optional<Parts> split(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  Parts parts{token.substr(0, second), token.substr(second + 1), json_part(token.substr(0, first)),
              json_part(token.substr(first + 1, second - first - 1))};
  if (parts.header.is_discarded() || parts.payload.is_discarded()) return std::nullopt;
  return parts;
}

// A NumericDate claim in seconds: nullopt when absent, NaN when present but not a number.
std::optional<double> time_claim(const Json& payload, const char* name) {
  const auto it = payload.find(name);
  if (it == payload.end()) return std::nullopt;
  return it->is_number() ? it->get<double>() : std::numeric_limits<double>::quiet_NaN();
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

Bignum bignum(std::string_view base64url) {
  const auto bytes = base64url_decode(base64url);
  if (!bytes || bytes->empty()) return nullptr;
  return Bignum(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()), static_cast<int>(bytes->size()), nullptr));
}

// The RSA public key of a JWK, through OpenSSL 3's provider interface; null when n or e is not
// a usable number or the modulus is too short.
Key public_key(const Jwk& jwk) {
  const Bignum n = bignum(jwk.n);
  const Bignum e = bignum(jwk.e);
  if (!n || !e || BN_num_bits(n.get()) < min_rsa_bits) return nullptr;
  const ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return nullptr;
  const Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  const KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  return Key(key);
}

// RS256: RSASSA-PKCS1-v1_5 with SHA-256 over "header.payload".
bool signature_verifies(const Jwk& jwk, std::string_view signed_part, std::string_view signature_part) {
  const auto signature = base64url_decode(signature_part);
  if (!signature || signature->empty()) return false;
  const Key key = public_key(jwk);
  const DigestContext context(EVP_MD_CTX_new());
  const bool verified =
      key && context &&
      EVP_DigestVerifyInit_ex(context.get(), nullptr, "SHA256", nullptr, nullptr, key.get(), nullptr) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
  ERR_clear_error();  // a refused token leaves OpenSSL's queue as it found it
  return verified;
}

}  // namespace

std::string_view to_string(AuthFailure failure) {
  switch (failure) {
    case AuthFailure::no_bearer:
      return "no Bearer token";
    case AuthFailure::malformed:
      return "token is not a well-formed JWT";
    case AuthFailure::algorithm:
      return "token is not signed with RS256";
    case AuthFailure::issuer:
      return "issuer is not https://api.botframework.com";
    case AuthFailure::unknown_key:
      return "no signing key with the token's kid";
    case AuthFailure::endorsement:
      return "signing key does not endorse the channel";
    case AuthFailure::signature:
      return "signature does not verify";
    case AuthFailure::audience:
      return "audience is not the bot's app id";
    case AuthFailure::expired:
      return "token expired";
    case AuthFailure::not_yet_valid:
      return "token not valid yet";
    case AuthFailure::service_url:
      return "serviceurl claim missing or not the activity's serviceUrl";
  }
  return "unknown authentication failure";
}

std::optional<std::string> token_key_id(std::string_view authorization) {
  const auto token = bearer_token(authorization);
  if (!token || authorization.size() > max_authorization_bytes) return std::nullopt;
  const Json header = json_part(token->substr(0, token->find('.')));
  if (header.is_discarded()) return std::nullopt;
  std::string kid = json_string_member(header, "kid");
  if (kid.empty()) return std::nullopt;
  return kid;
}

std::variant<ChannelIdentity, AuthFailure> validate_channel_token(
    std::string_view authorization, const std::function<const Jwk*(std::string_view kid)>& find_key,
    const TokenRules& rules, std::string_view channel_id, std::string_view service_url, SysTime now) {
  const auto token = bearer_token(authorization);
  if (!token) return AuthFailure::no_bearer;
  if (authorization.size() > max_authorization_bytes) return AuthFailure::malformed;
  const auto parts = split(*token);
  if (!parts) return AuthFailure::malformed;
  // A token must say when it ends, and its times must be numbers.
  const auto expires = time_claim(parts->payload, "exp");
  const auto not_before = time_claim(parts->payload, "nbf");
  if (!expires || std::isnan(*expires) || (not_before && std::isnan(*not_before))) return AuthFailure::malformed;

  // Before any key is looked at: the algorithm (no "none", no HMAC with a public key as the
  // secret) and the issuer.
  if (json_string_member(parts->header, "alg") != "RS256") return AuthFailure::algorithm;
  if (json_string_member(parts->payload, "iss") != rules.issuer) return AuthFailure::issuer;

  const std::string kid = json_string_member(parts->header, "kid");
  const Jwk* key = kid.empty() ? nullptr : find_key(kid);
  if (!key) return AuthFailure::unknown_key;
  // Stricter than the JS SDK: a key with no endorsements endorses nothing.
  if (channel_id.empty() ||
      std::find(key->endorsements.begin(), key->endorsements.end(), channel_id) == key->endorsements.end())
    return AuthFailure::endorsement;
  if (!signature_verifies(*key, parts->signed_part, parts->signature)) return AuthFailure::signature;

  const std::string audience = json_string_member(parts->payload, "aud");
  if (rules.app_id.empty() || audience != rules.app_id) return AuthFailure::audience;

  const double now_seconds = static_cast<double>(now.time_since_epoch().count()) / 1000.0;
  const auto skew = static_cast<double>(rules.skew.count());
  if (now_seconds > *expires + skew) return AuthFailure::expired;
  if (not_before && now_seconds < *not_before - skew) return AuthFailure::not_yet_valid;

  std::string claimed_url = json_string_member(parts->payload, "serviceurl");
  if (claimed_url.empty() || !equal_ignoring_case(claimed_url, service_url)) return AuthFailure::service_url;
  return ChannelIdentity{std::move(claimed_url), audience};
}

}  // namespace microalign::teams
