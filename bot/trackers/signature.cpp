#include "microalign/trackers/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

#include "microalign/core/text.hpp"

namespace microalign::trackers {
namespace {

constexpr std::size_t sha256_hex_digits = 64;

std::string hex(const unsigned char* bytes, std::size_t size) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0f];
  }
  return out;
}

bool all_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  // HMAC() fails only when OpenSSL itself cannot run (no SHA-256, no memory): a programmer's or
  // the machine's error, not the request's.
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &size) == nullptr) {
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  }
  return hex(digest.data(), size);
}

std::string sha256_hex(std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(body.data(), body.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return hex(digest.data(), size);
}

bool same_bytes_in_constant_time(std::string_view a, std::string_view b) {
  // The length is no secret (every signature has 64 digits); only the bytes must not leak.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

SignatureCheck check_signature(std::string_view secret, std::string_view body, std::string_view header,
                               std::string_view prefix) {
  if (secret.empty()) return SignatureCheck::no_secret;
  if (header.empty()) return SignatureCheck::missing;
  if (!header.starts_with(prefix)) return SignatureCheck::malformed;
  const auto presented = header.substr(prefix.size());
  if (presented.size() != sha256_hex_digits || !all_hex(presented)) return SignatureCheck::malformed;
  return same_bytes_in_constant_time(lower_case(presented), hmac_sha256_hex(secret, body)) ? SignatureCheck::valid
                                                                                           : SignatureCheck::mismatch;
}

}  // namespace microalign::trackers
