// The HMAC-SHA256 signatures the trackers put on their webhook deliveries, checked over the raw
// body before anything in it is read. Pure (OpenSSL's libcrypto), no I/O.
#pragma once

#include <string>
#include <string_view>

namespace microalign::trackers {

// HMAC-SHA256 of `body` keyed with `secret`, as 64 lower-case hex digits.
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// SHA-256 of `body`, as 64 lower-case hex digits: a delivery's id when its tracker sent none.
std::string sha256_hex(std::string_view body);

// Whether `a` and `b` hold the same bytes, in a time that depends on their length only
// (CRYPTO_memcmp): a comparison that stopped at the first wrong byte would tell an attacker,
// one guess at a time, how much of a forged signature was right.
bool same_bytes_in_constant_time(std::string_view a, std::string_view b);

enum class SignatureCheck {
  valid,
  no_secret,  // the tracker's secret is not configured: nothing can be checked, so nothing is trusted
  missing,    // no signature header, or an empty one
  malformed,  // not `prefix` followed by 64 hex digits
  mismatch,   // well formed, but not this body's signature under this secret
};

// Checks `header` (the signature header's value as sent) against the body: `prefix` ("sha256="
// for GitHub and Jira, "" for Linear) then the HMAC-SHA256 of `body` in hex, either case.
SignatureCheck check_signature(std::string_view secret, std::string_view body, std::string_view header,
                               std::string_view prefix);

}  // namespace microalign::trackers
