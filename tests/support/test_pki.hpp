// A throw-away PKI for TLS tests, made with OpenSSL's C API when the test runs: a CA
// (EC P-256, self-signed, CA:TRUE) and a server certificate it signs, as PEM files in a
// fresh temporary directory that is removed again.
//
//   TestPki pki;                          // CA + server cert for IP:127.0.0.1, DNS:localhost
//   TestPki stranger;                     // another, unrelated CA: its certs are not trusted
//   TestPki wrong_name({"DNS:wrong.example"});
//   pki.trust();                          // SSL_CERT_FILE = pki's CA, before making a client context
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace microalign::test {

class TestPki {
 public:
  // `server_names` are subjectAltName entries in OpenSSL's syntax ("IP:…", "DNS:…").
  explicit TestPki(std::vector<std::string> server_names = {"IP:127.0.0.1", "DNS:localhost"});
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  const std::filesystem::path& ca_file() const { return ca_file_; }
  const std::filesystem::path& server_cert_file() const { return server_cert_file_; }
  const std::filesystem::path& server_key_file() const { return server_key_file_; }

  // Points SSL_CERT_FILE at this CA, so TLS contexts made afterwards trust it and nothing
  // else from a file. Call it before make_client_tls_context(), while no other thread reads
  // the environment.
  void trust() const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path ca_file_;
  std::filesystem::path server_cert_file_;
  std::filesystem::path server_key_file_;
};

}  // namespace microalign::test
