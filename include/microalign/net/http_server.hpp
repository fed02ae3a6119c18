// A small HTTP/1.1 server on the event loop, for endpoints that face the internet (Teams'
// POST /api/messages, later health and metrics): every connection is bounded — header and
// body size, the time to read a request, how many connections at once — so a request that is
// not authenticated yet costs almost nothing. Plain HTTP: TLS is the reverse proxy's job.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace microalign::net {

struct HttpServerLimits {
  std::size_t max_header_bytes = 16 * 1024;        // larger: 431, connection closed
  std::size_t max_body_bytes = 256 * 1024;         // larger: 413, connection closed, body not read
  std::chrono::milliseconds read_timeout{10'000};  // to read one whole request; then closed
  std::chrono::milliseconds idle_timeout{30'000};  // a kept-alive connection with no request
  std::size_t max_connections = 256;               // more at once: accepted and closed at once
};

struct ServerRequest {
  std::string method;                          // "POST"
  std::string target;                          // "/api/messages"
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, or "" when absent.
  const std::string& header(const std::string& lower_case_name) const;
};

struct ServerResponse {
  unsigned status = 200;
  std::string content_type;  // empty: no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<boost::asio::awaitable<ServerResponse>(ServerRequest)>;

class HttpServer {
 public:
  HttpServer(boost::asio::any_io_executor, HttpServerLimits, HttpHandler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds "host:port" (port 0: any free one). Returns "" or why not, as one line naming the
  // address ("127.0.0.1:3978: address already in use").
  std::string listen(const std::string& address);
  std::uint16_t port() const;  // the bound port, once listening

  // Accepts and serves until stop(); returns once every connection is closed.
  boost::asio::awaitable<void> run();
  // Stops accepting; idle connections close at once, a request being handled finishes (bounded
  // by its handler) and gets its response, with "Connection: close".
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace microalign::net
