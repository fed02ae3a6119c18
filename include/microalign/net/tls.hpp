// TLS client side shared by every connection: peer verification always on, trust from
// OpenSSL's default paths (so SSL_CERT_FILE / SSL_CERT_DIR work), TLS 1.2+, and opening a
// verified TLS connection under a deadline.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <openssl/ssl.h>
#include <string>

namespace microalign::net {

using TlsStream = boost::asio::ssl::stream<boost::beast::tcp_stream>;

// Reads the trust store when called: set SSL_CERT_FILE before, not after.
boost::asio::ssl::context make_client_tls_context();

// Sets SNI (for names) and the name or IP address the peer certificate must match, on a
// not-yet-handshaken OpenSSL handle. Returns an error instead of connecting unverified.
boost::system::error_code expect_peer_identity(SSL* ssl, const std::string& host);

// The error a failed handshake should report: when the peer's certificate was refused, an
// error in x509_verify_category() whose message is OpenSSL's verdict ("certificate verify
// failed: hostname mismatch"); otherwise `ec` unchanged.
boost::system::error_code tls_handshake_error(const boost::system::error_code& ec, SSL* ssl);
const boost::system::error_category& x509_verify_category();  // values are X509_V_ERR_*

// Human-readable reason for a failed handshake: tls_handshake_error(ec, ssl).message().
std::string describe_tls_error(const boost::system::error_code&, SSL* ssl);

struct TlsConnectError {
  boost::system::error_code code;  // boost::beast::error::timeout when the deadline passed
  const char* step;                // "resolve", "connect", "TLS handshake"
};

// Resolves `host`, connects to the first address that answers and completes a verified
// TLS handshake, all before `deadline`. The returned stream's expiry is still `deadline`:
// callers set their own for what follows.
boost::asio::awaitable<boost::system::result<TlsStream, TlsConnectError>> connect_tls(
    boost::asio::any_io_executor, boost::asio::ssl::context&, const std::string& host,
    const std::string& port, std::chrono::steady_clock::time_point deadline);

}  // namespace microalign::net
