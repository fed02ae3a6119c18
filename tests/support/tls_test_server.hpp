// What the fakes of Slack and Teams share: a TLS listener on 127.0.0.1 running its own io_context
// on its own thread, and the steps of serving HTTP on a connection it accepted. Each fake keeps
// what its platform alone does (Socket Mode upgrades, routes, tokens) in its own file.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "fake_slack.hpp"  // Reply
#include "test_pki.hpp"

namespace microalign::test {

using TlsStream = boost::asio::ssl::stream<boost::beast::tcp_stream>;
using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A completion handler for co_spawn that prints what a coroutine threw, as `who` ("fake Slack"):
// a fake that fails quietly makes a test fail far away from the cause.
struct ReportFailure {
  std::string_view who;
  void operator()(std::exception_ptr failure) const;
};

class TlsTestServer {
 public:
  // Serves one connection, its TLS handshake done; runs on the server's thread.
  using Serve = std::function<boost::asio::awaitable<void>(TlsStream)>;

  // Listens at once (port() is known), with pki's server certificate, TLS 1.2 at least.
  TlsTestServer(const TestPki& pki, std::string_view who);
  ~TlsTestServer();  // stop()
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  // Accepts connections and serves each with `serve`, on a thread of the server's own: from the
  // end of the fake's constructor, when what `serve` uses is ready.
  void run(Serve serve);
  // Ends the thread (it may be called again). A fake whose members hold the io_context's sockets
  // calls it before they are destroyed.
  void stop();

  boost::asio::io_context& ioc() { return ioc_; }
  const std::string& port() const { return port_; }
  ReportFailure report() const { return ReportFailure{who_}; }

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> handshake(boost::asio::ip::tcp::socket socket);

  const std::string_view who_;
  boost::asio::ssl::context tls_{boost::asio::ssl::context::tls_server};
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  std::string port_;
  Serve serve_;
  std::thread thread_;
};

// The next request on `stream`, for as long as the client keeps the connection idle; nullopt
// when the connection ends first.
boost::asio::awaitable<std::optional<HttpRequest>> read_request(TlsStream& stream, boost::beast::flat_buffer& buffer,
                                                                std::uint64_t body_limit);

// Writes `response`, giving the client 5 s to take it; false when that failed.
boost::asio::awaitable<bool> write_response(TlsStream& stream, HttpResponse& response);

// `reply` as the answer to `request` (JSON unless its headers say otherwise), once its delay is over.
boost::asio::awaitable<HttpResponse> reply_to(const HttpRequest& request, Reply reply);

}  // namespace microalign::test
