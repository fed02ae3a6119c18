#include "test_pki.hpp"

#include <cstdlib>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdexcept>
#include <unistd.h>

namespace microalign::test {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
  char detail[256] = "no OpenSSL detail";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, detail, sizeof detail);
  ERR_clear_error();
  throw std::runtime_error("test PKI: " + what + ": " + detail);
}

template <class T>
T* check(T* p, const char* what) {
  if (!p) fail(what);
  return p;
}

void check(int ok, const char* what) {
  if (ok != 1) fail(what);
}

Key make_key() { return Key(check(EVP_EC_gen("P-256"), "EC key")); }

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  Extension ext(check(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()), "extension"));
  check(X509_add_ext(cert, ext.get(), -1), "add extension");
}

// A certificate for `key` named `common_name`, signed by `issuer_key`; self-signed when
// `issuer` is null. Valid from an hour ago (clock skew) for a day.
Cert make_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
               const std::vector<std::pair<int, std::string>>& extensions) {
  Cert cert(check(X509_new(), "X509_new"));
  check(X509_set_version(cert.get(), X509_VERSION_3), "version");
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial), "serial");
  serial[0] &= 0x7f;  // a positive serial number
  std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(check(BN_bin2bn(serial, sizeof serial, nullptr), "serial"));
  check(BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) ? 1 : 0, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ? 1 : 0, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) ? 1 : 0, "notAfter");
  check(X509_set_pubkey(cert.get(), key), "public key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0),
        "subject");
  X509* signer = issuer ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)), "issuer");
  for (const auto& [nid, value] : extensions) add_extension(cert.get(), signer, nid, value);
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) fail("sign");
  return cert;
}

void write_pem(const std::filesystem::path& path, X509* cert, EVP_PKEY* key) {
  Bio out(check(BIO_new_file(path.c_str(), "w"), "open PEM file"));
  if (cert) check(PEM_write_bio_X509(out.get(), cert), "write certificate");
  if (key) check(PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "write key");
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "microalign-pki-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("test PKI: mkdtemp failed");
  return pattern;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

TestPki::TestPki(std::vector<std::string> server_names)
    : dir_(make_temp_dir()),
      ca_file_(dir_ / "ca.pem"),
      server_cert_file_(dir_ / "server-cert.pem"),
      server_key_file_(dir_ / "server-key.pem") {
  const Key ca_key = make_key();
  const Cert ca = make_cert(ca_key.get(), "microalign test CA", nullptr, ca_key.get(),
                            {{NID_basic_constraints, "critical,CA:TRUE"},
                             {NID_key_usage, "critical,keyCertSign,cRLSign"},
                             {NID_subject_key_identifier, "hash"}});
  const Key server_key = make_key();
  const Cert server = make_cert(server_key.get(), "microalign test server", ca.get(), ca_key.get(),
                                {{NID_basic_constraints, "critical,CA:FALSE"},
                                 {NID_key_usage, "critical,digitalSignature"},
                                 {NID_ext_key_usage, "serverAuth"},
                                 {NID_subject_alt_name, join(server_names)},
                                 {NID_subject_key_identifier, "hash"},
                                 {NID_authority_key_identifier, "keyid:always"}});
  write_pem(ca_file_, ca.get(), nullptr);
  write_pem(server_cert_file_, server.get(), nullptr);
  write_pem(server_key_file_, nullptr, server_key.get());
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void TestPki::trust() const { ::setenv("SSL_CERT_FILE", ca_file_.c_str(), 1); }

}  // namespace microalign::test
