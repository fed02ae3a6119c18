// A small HTTP/1.1 server on the event loop, for endpoints that face the internet (Teams'
// POST /api/messages, later health and metrics): every connection is bounded — header and
// body size, the time to read a request, how many connections at once — so a request that is
// not authenticated yet costs almost nothing. Plain HTTP: TLS is the reverse proxy's job.
//
//   net::HttpServer server(ioc.get_executor(), {}, [&](net::ServerRequest r) -> asio::awaitable<net::ServerResponse> {
//     if (r.method == "POST" && r.target == "/api/messages") co_return co_await on_activity(std::move(r));
//     co_return net::ServerResponse{404};
//   });
//   if (auto why = server.listen("127.0.0.1:3978"); !why.empty()) return fail(why);
//   co_spawn(ioc, server.run(), detached);   // …later, on the same executor: server.stop();
//
// One coroutine per connection, all on the caller's executor (one io_context thread): every
// member function, and the destructor, is called on that executor.
//
// What a connection gets, in order:
//   - over max_connections open at once: accepted and closed at once, nothing written (cheaper
//     than an answer; a warning is logged when the limit is first reached, not per connection);
//   - its first request must arrive whole within read_timeout of the accept; a kept-alive
//     connection may then wait idle_timeout for the next request's first byte, which again has
//     read_timeout to arrive whole (a slowloris, dribbling bytes, is closed at the deadline,
//     without an answer);
//   - a header over max_header_bytes: 431 and closed; a Content-Length over max_body_bytes: 413
//     and closed as soon as the header is read, before any of the body is waited for; a chunked
//     body that grows over max_body_bytes: 413 and closed; a malformed request: 400 and closed;
//   - "Expect: 100-continue" is answered "100 Continue" once the header passed those checks;
//   - the whole request read, the handler is awaited (no time limit here: bound it inside);
//     if it throws, 500 (logged with the method and target, never the body);
//   - the response is written within read_timeout too (a peer that will not read is dropped),
//     then the connection is kept alive unless the request said otherwise (HTTP/1.1
//     "Connection: close", HTTP/1.0 without "Connection: keep-alive") or the server is stopping.
// A connection refused with 413 (or 431, 400) is closed right after the answer, not lingered on
// to drain what the client is still sending: a client still sending a body it was refused may
// see a reset instead of the answer. The body is the attacker's cost, not ours.
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
  std::size_t max_header_bytes = 16 * 1024;        // request line and fields; larger: 431, closed
  std::size_t max_body_bytes = 256 * 1024;         // larger: 413, connection closed, body not read
  // Paths whose requests may carry more (the trackers' webhook deliveries can be larger than
  // anything Teams sends): a target starting with the prefix may have a body up to its limit.
  std::vector<std::pair<std::string, std::size_t>> larger_bodies{};
  std::chrono::milliseconds read_timeout{10'000};  // to read one whole request (and write its
                                                   // response); then closed, unanswered
  std::chrono::milliseconds idle_timeout{30'000};  // a kept-alive connection with no request
  std::size_t max_connections = 256;               // more at once: accepted and closed at once
  std::chrono::milliseconds shutdown_grace{10'000};  // after stop(), for requests in handlers
};

// A whole request, as the client sent it (nothing here is authenticated yet).
struct ServerRequest {
  std::string method;                          // "POST", as sent (any token)
  std::string target;                          // "/api/messages", with the query if any
  std::map<std::string, std::string> headers;  // names in lower case; a repeated field's values
                                               // joined with ", "
  std::string body;                            // at most max_body_bytes; de-chunked

  // The header's value, or "" when absent.
  const std::string& header(const std::string& lower_case_name) const;
};

// Sent as: the status line, the extra headers, Content-Type (when there is a body), Content-Length
// and Connection as needed. No Server or Date header.
struct ServerResponse {
  unsigned status = 200;     // 200–599; anything else is logged and sent as 500. 204 and 304
                             // go without a body or Content-Length.
  std::string content_type;  // the body's type; a body without one is application/octet-stream
  std::string body;          // not sent to HEAD requests (its length is)
  // Extra headers, in order. Content-Type, Content-Length, Transfer-Encoding and Connection
  // are the server's to set and are left out here; so is a header whose name is not a token or
  // whose value holds CR, LF or NUL (logged): a handler cannot split the response.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Awaited once per request, on the server's executor; may run concurrently for requests on
// different connections. Throwing answers 500.
using HttpHandler = std::function<boost::asio::awaitable<ServerResponse>(ServerRequest)>;

class HttpServer {
 public:
  HttpServer(boost::asio::any_io_executor, HttpServerLimits, HttpHandler);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Stops, and closes every connection at once (a handler still running finishes on its own,
  // its answer going nowhere).
  ~HttpServer();

  // Binds "host:port" with a numeric host ("127.0.0.1:3978", "0.0.0.0:0", "[::1]:3978"; port
  // 0: any free one). Returns "" or why not, as one line naming the address
  // ("127.0.0.1:3978: address already in use").
  std::string listen(const std::string& address);
  std::uint16_t port() const;  // the bound port, once listening; 0 before

  // Accepts and serves until stop(); returns once every connection is closed. Without listen()
  // (or after stop()) it returns at once.
  boost::asio::awaitable<void> run();
  // Stops accepting; connections not in a request's handler (idle, or still sending their
  // request) close at once, unanswered. A request being handled finishes and gets its response,
  // with "Connection: close", then its connection closes. After shutdown_grace, run() closes
  // whatever is left and returns.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace microalign::net
