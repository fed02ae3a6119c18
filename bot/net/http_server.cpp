#include "microalign/net/http_server.hpp"

#include <algorithm>
#include <array>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <exception>
#include <optional>
#include <set>

#include "microalign/core/failure.hpp"
#include "microalign/core/log.hpp"
#include "microalign/net/signal.hpp"

namespace microalign::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view component = "http";
// After refusing a request it will not read (413, 431, 400), how long and how much the server
// goes on reading and discarding what the peer still sends before closing. Closing a socket with
// unread bytes makes the kernel reset the connection, and the reset can destroy the refusal before
// the peer reads it (a client still writing a large body sees only "connection reset"). Bounded,
// so a peer cannot keep a connection this way: nginx's lingering close, in small.
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t linger_bytes = 4 * 1024 * 1024;

// ---- Addresses

struct HostPort {
  asio::ip::address host;
  std::uint16_t port = 0;
};

// "127.0.0.1:3978", "0.0.0.0:0", "[::1]:3978": numeric hosts only, no name lookups.
std::optional<HostPort> parse_host_port(std::string_view address, std::string& why) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos) {
    why = "expected host:port";
    return std::nullopt;
  }
  auto host = address.substr(0, colon);
  const auto port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  HostPort out;
  error_code ec;
  out.host = asio::ip::make_address(host, ec);
  if (ec) {
    why = "the host is not a numeric IP address";
    return std::nullopt;
  }
  unsigned value = 0;
  const auto [end, parse_ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || parse_ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
    why = "the port is not a number from 0 to 65535";
    return std::nullopt;
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

// "Address already in use" → "address already in use", to read well after "host:port: ".
std::string lower_first(std::string s) {
  if (!s.empty()) s.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(s.front())));
  return s;
}

// ---- Responses

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool valid_header(const std::string& name, const std::string& value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_token_char(c)) return false;
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

// The server frames the message itself: these never come from a handler's extra headers.
bool framing_header(const std::string& name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection") || beast::iequals(name, "content-type");
}

using Response = http::response<http::string_body>;

Response to_beast(ServerResponse r, unsigned version, bool keep_alive, bool head_request) {
  if (r.status < 200 || r.status > 599) {
    log::error(component, "handler answered status " + std::to_string(r.status) + ": sent 500 instead");
    r = ServerResponse{500, "text/plain; charset=utf-8", "Internal Server Error\n", {}};
  }
  Response res{static_cast<http::status>(r.status), version};
  for (const auto& [name, value] : r.headers) {
    if (framing_header(name)) continue;
    if (!valid_header(name, value)) {
      log::warn(component, "handler's header \"" + name + "\" is not a valid header: left out");
      continue;
    }
    res.insert(name, value);
  }
  // 204 and 304 have no body, not even a Content-Length.
  if (r.status != 204 && r.status != 304) {
    if (!r.body.empty()) {
      res.set(http::field::content_type, r.content_type.empty() ? "application/octet-stream" : r.content_type);
    }
    res.content_length(r.body.size());
    if (!head_request) res.body() = std::move(r.body);
  }
  res.keep_alive(keep_alive);
  return res;
}

ServerResponse plain_status(http::status status) {
  ServerResponse r;
  r.status = static_cast<unsigned>(status);
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::string(http::obsolete_reason(status)) + "\n";
  return r;
}

// The body a request to `target` may carry (HttpServerLimits::larger_bodies).
std::size_t body_limit_for(const HttpServerLimits& limits, std::string_view target) {
  for (const auto& [prefix, limit] : limits.larger_bodies) {
    if (target.starts_with(prefix)) return limit;
  }
  return limits.max_body_bytes;
}

std::size_t largest_body_limit(const HttpServerLimits& limits) {
  std::size_t largest = limits.max_body_bytes;
  for (const auto& [prefix, limit] : limits.larger_bodies) largest = std::max(largest, limit);
  return largest;
}

// What a failed read deserves: a status to answer before closing, or nothing (just close).
std::optional<http::status> answer_to_read_error(const error_code& ec) {
  if (ec == http::error::header_limit) return http::status::request_header_fields_too_large;
  if (ec == http::error::body_limit) return http::status::payload_too_large;
  // The peer went away, took too long, or was closed by stop(): nobody to answer.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return std::nullopt;
  // Anything else the parser says is a malformed request.
  if (ec.category() == http::make_error_code(http::error::bad_method).category()) return http::status::bad_request;
  return std::nullopt;
}

}  // namespace

const std::string& ServerRequest::header(const std::string& lower_case_name) const {
  static const std::string none;
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? none : it->second;
}

namespace {

struct Connection;

// The server's state, shared by its connections (which may outlive the HttpServer object).
struct Server : std::enable_shared_from_this<Server> {
  Server(asio::any_io_executor executor, HttpServerLimits l, HttpHandler h)
      : ex(std::move(executor)), limits(l), handler(std::move(h)), acceptor(ex), all_closed(ex) {}

  asio::awaitable<void> accept_loop();
  void refuse(tcp::socket& socket);
  void stop();
  void close_all();

  asio::any_io_executor ex;
  HttpServerLimits limits;
  HttpHandler handler;
  tcp::acceptor acceptor;
  std::uint16_t port = 0;
  bool stopping = false;
  std::set<Connection*> connections;  // open ones: registered by Connection itself
  Signal all_closed;                  // notified when the last connection closes, and by stop()
  std::size_t refused_in_a_row = 0;   // connections refused since the last one accepted
};

// One accepted connection, registered with the server while it exists.
struct Connection {
  Connection(std::shared_ptr<Server> s, tcp::socket socket) : server(std::move(s)), stream(std::move(socket)) {
    server->connections.insert(this);
  }
  ~Connection() {
    server->connections.erase(this);
    if (server->connections.empty()) server->all_closed.notify();
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Cancels whatever the connection is waiting for; what it read and has not answered is dropped.
  void close() {
    if (closed) return;
    closed = true;
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
  }

  std::shared_ptr<Server> server;
  beast::tcp_stream stream;
  bool busy = false;    // a whole request read: being handled, or its response being written
  bool closed = false;  // by close(): the coroutine stops at its next step
};

// Writes `response` (bounded by read_timeout too: a peer that does not read is not waited for).
asio::awaitable<bool> write(Connection& c, Response response) {
  c.stream.expires_after(c.server->limits.read_timeout);
  auto [ec, written] = co_await http::async_write(c.stream, response, use_tuple);
  co_return !ec && !c.closed;
}

// Answers a request we will not read to the end (431, 413, 400); then, our side shut, reads what
// the peer still sends for a moment (linger_time, linger_bytes) so that the answer reaches it. The
// caller closes.
asio::awaitable<void> refuse_request(Connection& c, http::status status, unsigned version) {
  auto response = to_beast(plain_status(status), version == 10 ? 10 : 11, /*keep_alive=*/false,
                           /*head_request=*/false);
  if (!co_await write(c, std::move(response))) co_return;
  error_code ignored;
  c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  c.stream.expires_after(linger_time);
  std::array<char, 16 * 1024> discarded;
  for (std::size_t read = 0; read < linger_bytes && !c.closed;) {
    auto [ec, n] = co_await c.stream.async_read_some(asio::buffer(discarded), use_tuple);
    if (ec) break;  // the peer's FIN, its reset, the deadline, or close()
    read += n;
  }
}

ServerRequest to_server_request(http::request<http::string_body>& message) {
  ServerRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto [it, inserted] = request.headers.try_emplace(std::move(name), std::string(field.value()));
    if (!inserted) {  // repeated fields combine into one list (RFC 9110 §5.3)
      it->second += ", ";
      it->second += field.value();
    }
  }
  request.body = std::move(message.body());
  return request;
}

bool wants_100_continue(const http::request<http::string_body>& message) {
  return message.version() >= 11 && beast::iequals(message[http::field::expect], "100-continue");
}

// One coroutine per connection: read a request (bounded), await the handler, answer, and again
// while the connection is kept alive.
asio::awaitable<void> serve(std::shared_ptr<Connection> connection) {
  Connection& c = *connection;
  const HttpServerLimits limits = c.server->limits;
  beast::flat_buffer buffer;
  bool first = true;
  while (!c.closed && !c.server->stopping) {
    // A new connection has read_timeout for its whole first request. A kept one may wait
    // idle_timeout for the next request to begin, and then has read_timeout for the rest.
    if (!first && buffer.size() == 0) {
      c.stream.expires_after(limits.idle_timeout);
      const auto space = buffer.prepare(4096);
      auto [ec, n] = co_await c.stream.async_read_some(space, use_tuple);
      if (ec || c.closed) break;
      buffer.commit(n);
    }
    first = false;
    c.stream.expires_after(limits.read_timeout);

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
    // The largest any path allows, until the target is known: the parser would otherwise refuse a
    // Content-Length over max_body_bytes before the path that allows it is read.
    parser.body_limit(largest_body_limit(limits));
    auto [header_ec, header_bytes] = co_await http::async_read_header(c.stream, buffer, parser, use_tuple);
    if (c.closed) break;
    if (header_ec) {
      if (const auto status = answer_to_read_error(header_ec)) co_await refuse_request(c, *status, 11);
      break;
    }
    const unsigned version = parser.get().version();
    const auto target = parser.get().target();
    const auto body_limit = body_limit_for(limits, std::string_view(target.data(), target.size()));
    parser.body_limit(body_limit);
    // The parser refuses a Content-Length over the limit already; say so here too, so that no
    // body over the limit is ever read, whatever the parser does.
    if (const auto length = parser.content_length(); length && *length > body_limit) {
      co_await refuse_request(c, http::status::payload_too_large, version);
      break;
    }
    if (!parser.is_done()) {
      if (wants_100_continue(parser.get())) {
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        c.stream.expires_after(limits.read_timeout);
        auto [continue_ec, continue_bytes] = co_await http::async_write(c.stream, go_on, use_tuple);
        if (continue_ec || c.closed) break;
      }
      auto [body_ec, body_bytes] = co_await http::async_read(c.stream, buffer, parser, use_tuple);
      if (c.closed) break;
      if (body_ec) {
        if (const auto status = answer_to_read_error(body_ec)) co_await refuse_request(c, *status, version);
        break;
      }
    }

    c.busy = true;
    auto& message = parser.get();
    const bool head_request = message.method() == http::verb::head;
    bool keep_alive = message.keep_alive();
    auto request = to_server_request(message);
    const std::string what = request.method + " " + request.target;
    ServerResponse response;
    bool failed = false;
    try {
      auto handled = c.server->handler(std::move(request));
      response = co_await std::move(handled);
    } catch (const std::exception& e) {
      log::error(component, what + ": the handler failed: " + e.what());
      failed = true;
    } catch (...) {
      log::error(component, what + ": the handler failed");
      failed = true;
    }
    if (failed) response = plain_status(http::status::internal_server_error);
    if (c.closed) break;  // force-closed while the handler ran
    // Stopping: this request is answered, and the connection closed after it.
    keep_alive = keep_alive && !c.server->stopping;
    auto answer = to_beast(std::move(response), version, keep_alive, head_request);
    const bool written = co_await write(c, std::move(answer));
    c.busy = false;
    if (!written || !keep_alive) break;
  }
  if (!c.closed) {
    // Our side is done: FIN after the last response, then let go.
    error_code ignored;
    c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    c.close();
  }
}

void Server::refuse(tcp::socket& socket) {
  if (refused_in_a_row++ == 0) {
    log::warn(component, "at the limit of " + std::to_string(limits.max_connections) +
                             " connections: new ones are closed as they come");
  }
  error_code ignored;
  socket.close(ignored);
}

asio::awaitable<void> Server::accept_loop() {
  asio::steady_timer pause(ex);
  while (!stopping && acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      // Out of file descriptors or memory: accepting again at once would only spin.
      log::warn(component, "accept failed: " + ec.message());
      pause.expires_after(std::chrono::milliseconds(100));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    if (connections.size() >= limits.max_connections) {
      refuse(socket);
      continue;
    }
    if (refused_in_a_row > 0) {
      log::warn(component,
                "below the connection limit again, after closing " + std::to_string(refused_in_a_row) + " connections");
      refused_in_a_row = 0;
    }
    // Registered now, not when its coroutine first runs: the limit counts it at once.
    auto connection = std::make_shared<Connection>(shared_from_this(), std::move(socket));
    auto served = serve(connection);
    asio::co_spawn(ex, std::move(served), [](std::exception_ptr e) {
      if (e) log::error(component, "connection failed: " + what_failed(e));
    });
  }
}

void Server::stop() {
  if (stopping) return;
  stopping = true;
  error_code ignored;
  acceptor.close(ignored);
  const std::vector<Connection*> open(connections.begin(), connections.end());
  for (auto* c : open) {
    if (!c->busy) c->close();
  }
  all_closed.notify();
}

void Server::close_all() {
  const std::vector<Connection*> open(connections.begin(), connections.end());
  for (auto* c : open) c->close();
}

}  // namespace

struct HttpServer::Impl : Server {
  using Server::Server;
};

HttpServer::HttpServer(asio::any_io_executor ex, HttpServerLimits limits, HttpHandler handler)
    : impl_(std::make_shared<Impl>(std::move(ex), limits, std::move(handler))) {}

HttpServer::~HttpServer() {
  impl_->stop();
  impl_->close_all();
}

std::string HttpServer::listen(const std::string& address) {
  std::string why;
  const auto where = parse_host_port(address, why);
  if (!where) return address + ": " + why;
  if (impl_->acceptor.is_open()) return address + ": already listening";
  if (impl_->stopping) return address + ": the server is stopped";
  const tcp::endpoint endpoint(where->host, where->port);
  auto& acceptor = impl_->acceptor;
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) impl_->port = acceptor.local_endpoint(ec).port();
  if (ec) {
    error_code ignored;
    acceptor.close(ignored);
    return address + ": " + lower_first(ec.message());
  }
  return {};
}

std::uint16_t HttpServer::port() const { return impl_->port; }

asio::awaitable<void> HttpServer::run() {
  auto impl = impl_;  // the server may be destroyed while this runs
  co_await impl->accept_loop();
  // Stopped: idle connections are closing, busy ones finish their request. Bounded.
  const auto deadline = Clock::now() + impl->limits.shutdown_grace;
  while (!impl->connections.empty() && Clock::now() < deadline) {
    co_await impl->all_closed.wait(deadline - Clock::now());
  }
  if (!impl->connections.empty()) {
    log::warn(component,
              std::to_string(impl->connections.size()) + " connections still busy after the shutdown grace: closed");
    impl->close_all();
  }
}

void HttpServer::stop() { impl_->stop(); }

}  // namespace microalign::net
