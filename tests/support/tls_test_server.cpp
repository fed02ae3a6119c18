#include "tls_test_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>

namespace microalign::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds step_limit{5};  // for a client's TLS handshake, or taking a response
}  // namespace

void ReportFailure::operator()(std::exception_ptr failure) const {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    std::cerr << who << ": " << e.what() << '\n';
  } catch (...) {
    std::cerr << who << ": unknown exception\n";
  }
}

TlsTestServer::TlsTestServer(const TestPki& pki, std::string_view who) : who_(who) {
  SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
  tls_.use_certificate_chain_file(pki.server_cert_file().string());
  tls_.use_private_key_file(pki.server_key_file().string(), ssl::context::pem);
  const tcp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(loopback.protocol());
  acceptor_.bind(loopback);
  acceptor_.listen();
  port_ = std::to_string(acceptor_.local_endpoint().port());
}

TlsTestServer::~TlsTestServer() { stop(); }

void TlsTestServer::run(Serve serve) {
  serve_ = std::move(serve);
  asio::co_spawn(ioc_, accept_loop(), report());
  thread_ = std::thread([this] { ioc_.run(); });
}

void TlsTestServer::stop() {
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
}

asio::awaitable<void> TlsTestServer::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (ec) co_return;
    asio::co_spawn(ioc_, handshake(std::move(socket)), report());
  }
}

asio::awaitable<void> TlsTestServer::handshake(tcp::socket socket) {
  TlsStream stream(beast::tcp_stream(std::move(socket)), tls_);
  stream.next_layer().expires_after(step_limit);
  auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::server, use_tuple);
  if (handshake_ec) co_return;  // e.g. the client refused our certificate: some tests want that
  co_await serve_(std::move(stream));
}

asio::awaitable<std::optional<HttpRequest>> read_request(TlsStream& stream, beast::flat_buffer& buffer,
                                                         std::uint64_t body_limit) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  stream.next_layer().expires_never();
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
  if (read_ec) co_return std::nullopt;
  co_return parser.release();
}

asio::awaitable<bool> write_response(TlsStream& stream, HttpResponse& response) {
  stream.next_layer().expires_after(step_limit);
  auto [write_ec, written] = co_await http::async_write(stream, response, use_tuple);
  co_return !write_ec;
}

asio::awaitable<HttpResponse> reply_to(const HttpRequest& request, Reply reply) {
  if (reply.delay > std::chrono::milliseconds(0)) {
    const auto executor = co_await asio::this_coro::executor;
    asio::steady_timer delay(executor, reply.delay);
    co_await delay.async_wait(use_tuple);
  }
  HttpResponse response;
  response.version(request.version());
  response.result(reply.status);
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.keep_alive(request.keep_alive());
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  response.body() = std::move(reply.body);
  response.prepare_payload();
  co_return response;
}

}  // namespace microalign::test
