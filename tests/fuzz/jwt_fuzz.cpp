// The Bot Framework's inbound JWT: any Authorization header, read for its key id and validated
// against a signing key that endorses Teams. The first bytes up to a newline are the header;
// the rest, when present, is the key's modulus and exponent (base64url, space-separated), so
// the signature check also meets odd keys. With the default key, nothing may be accepted as
// valid: that would need a signature from a key the fuzzer does not have.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "check.hpp"
#include "microalign/teams/jwt.hpp"

using namespace microalign;
using namespace microalign::teams;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const auto authorization = input.substr(0, newline);

  // A real 2048-bit modulus shape (base64url of 256 bytes) unless the input brings its own.
  Jwk key{"", std::string(342, 'x'), "AQAB", {"msteams"}};
  if (newline != std::string_view::npos) {
    const auto rest = input.substr(newline + 1);
    const auto space = rest.find(' ');
    key.n = std::string(rest.substr(0, space));
    key.e = space == std::string_view::npos ? "AQAB" : std::string(rest.substr(space + 1));
  }
  if (const auto kid = token_key_id(authorization)) key.kid = *kid;

  static const TokenRules rules{"app-id"};
  const auto find_key = [&key](std::string_view kid) { return kid == key.kid ? &key : nullptr; };
  const auto now = SysTime{std::chrono::hours(24 * 365 * 56)};
  const auto verdict =
      validate_channel_token(authorization, find_key, rules, "msteams", "https://smba.trafficmanager.net/emea/", now);
  if (newline == std::string_view::npos) {
    fuzz::require(std::holds_alternative<AuthFailure>(verdict), "no token is valid without the key's signature");
  }
  return 0;
}
