#include "microalign/net/tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace microalign::net {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {

class X509VerifyCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "x509_verify"; }
  std::string message(int value) const override {
    return std::string("certificate verify failed: ") + X509_verify_cert_error_string(value);
  }
};

// The error OpenSSL left on its queue, or `fallback` when it left none.
error_code openssl_error(asio::error::basic_errors fallback) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return fallback;
  return {static_cast<int>(code), asio::error::get_ssl_category()};
}

// Resolution has no stream to carry a deadline, so a timer cancels it instead. The timer's
// handler may run after this coroutine is gone, hence the weak pointer.
asio::awaitable<boost::system::result<tcp::resolver::results_type>> resolve_before(
    asio::any_io_executor ex, const std::string& host, const std::string& port,
    std::chrono::steady_clock::time_point deadline) {
  auto resolver = std::make_shared<tcp::resolver>(ex);
  asio::steady_timer timer(ex, deadline);
  timer.async_wait([weak = std::weak_ptr(resolver)](error_code ec) {
    if (auto r = weak.lock(); r && !ec) r->cancel();
  });
  auto [ec, results] = co_await resolver->async_resolve(host, port, asio::as_tuple(asio::use_awaitable));
  if (ec == asio::error::operation_aborted && std::chrono::steady_clock::now() >= deadline)
    co_return boost::beast::error::timeout;
  if (ec) co_return ec;
  co_return results;
}

}  // namespace

ssl::context make_client_tls_context() {
  ssl::context ctx(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1)
    throw boost::system::system_error(openssl_error(asio::error::invalid_argument), "TLS 1.2 minimum");
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

error_code expect_peer_identity(SSL* ssl, const std::string& host) {
  ERR_clear_error();
  error_code not_ip;
  asio::ip::make_address(host, not_ip);
  if (!not_ip) {
    // SNI carries names only (RFC 6066); an IP literal is matched against the SAN IP entries.
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1)
      return openssl_error(asio::error::invalid_argument);
    return {};
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1)
    return openssl_error(asio::error::invalid_argument);
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(ssl, host.c_str()) != 1) return openssl_error(asio::error::invalid_argument);
  return {};
}

const boost::system::error_category& x509_verify_category() {
  static const X509VerifyCategory category;
  return category;
}

error_code tls_handshake_error(const error_code& ec, SSL* ssl) {
  const long verdict = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
  if (verdict != X509_V_OK) return {static_cast<int>(verdict), x509_verify_category()};
  return ec;
}

std::string describe_tls_error(const error_code& ec, SSL* ssl) {
  return tls_handshake_error(ec, ssl).message();
}

asio::awaitable<boost::system::result<TlsStream, TlsConnectError>> connect_tls(
    asio::any_io_executor ex, ssl::context& ctx, const std::string& host,
    const std::string& port, std::chrono::steady_clock::time_point deadline) {
  auto endpoints = co_await resolve_before(ex, host, port, deadline);
  if (!endpoints) co_return TlsConnectError{endpoints.error(), "resolve"};

  boost::beast::tcp_stream tcp(ex);
  tcp.expires_at(deadline);
  auto [connect_ec, endpoint] = co_await tcp.async_connect(*endpoints, asio::as_tuple(asio::use_awaitable));
  if (connect_ec) co_return TlsConnectError{connect_ec, "connect"};
  // Acks and requests are small writes that must leave at once: with Nagle's algorithm an ack
  // written while the previous one is unacknowledged waits for the peer's delayed ACK (up to
  // 40 ms on Linux), which slack_load saw as the p99.9 of acknowledgements.
  boost::system::error_code nodelay_ec;
  tcp.socket().set_option(asio::ip::tcp::no_delay(true), nodelay_ec);

  TlsStream tls(std::move(tcp), ctx);
  if (auto ec = expect_peer_identity(tls.native_handle(), host))
    co_return TlsConnectError{ec, "TLS set-up"};
  auto [handshake_ec] = co_await tls.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
  if (handshake_ec)
    co_return TlsConnectError{tls_handshake_error(handshake_ec, tls.native_handle()), "TLS handshake"};
  co_return tls;
}

}  // namespace microalign::net
