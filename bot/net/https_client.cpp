#include "microalign/net/https_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>

#include "microalign/net/tls.hpp"
#include "microalign/net/url.hpp"

namespace microalign::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t max_body_bytes = 8 * 1024 * 1024;

// On a single-threaded executor a channel with room for one message is a fair async mutex:
// sending takes the turn (waiting in arrival order while another request holds it),
// receiving gives it back.
using Turns = asio::experimental::channel<void(error_code)>;

class TurnHeld {
 public:
  explicit TurnHeld(Turns& turns) : turns_(turns) {}
  ~TurnHeld() { turns_.try_receive([](error_code) {}); }
  TurnHeld(const TurnHeld&) = delete;
  TurnHeld& operator=(const TurnHeld&) = delete;

 private:
  Turns& turns_;
};

// Header values go on the wire verbatim: a line break would let a value forge headers.
bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  long long seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  // Slack sends seconds; the HTTP-date form is not worth guessing at.
  if (ec != std::errc{} || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

http::verb verb_of(HttpMethod method) {
  switch (method) {
    case HttpMethod::get:
      return http::verb::get;
    case HttpMethod::put:
      return http::verb::put;
    case HttpMethod::post:
      break;
  }
  return http::verb::post;
}

// Between responses a kept connection has nothing to say. If it is readable, the server has
// closed it (FIN, TLS close_notify or reset), and a request written now would be lost.
bool closed_while_idle(TlsStream& stream) {
  auto& socket = beast::get_lowest_layer(stream).socket();
  error_code ec;
  socket.non_blocking(true, ec);
  char probe;
  if (!ec) socket.receive(asio::buffer(&probe, 1), asio::socket_base::message_peek, ec);
  return ec != asio::error::would_block;
}

std::map<std::string, std::string> headers_of(const http::fields& fields) {
  std::map<std::string, std::string> headers;
  for (const auto& field : fields) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    auto& value = headers[name];
    value += (value.empty() ? "" : ", ") + std::string(field.value());
  }
  return headers;
}

}  // namespace

const std::string& HttpResponse::header(const std::string& lower_case_name) const {
  static const std::string none;
  const auto found = headers.find(lower_case_name);
  return found == headers.end() ? none : found->second;
}

struct HttpsClient::Impl {
  Impl(asio::any_io_executor executor, asio::ssl::context& context, std::string h, std::string p)
      : ex(std::move(executor)), tls(context), host(std::move(h)), port(std::move(p)), turns(ex, 1) {}

  asio::awaitable<boost::system::result<HttpResponse>> exchange(
      const http::request<http::string_body>& request, Clock::time_point deadline);

  asio::any_io_executor ex;
  asio::ssl::context& tls;
  std::string host;
  std::string port;
  Turns turns;
  std::optional<TlsStream> connection;  // kept alive between requests
  beast::flat_buffer buffer;
  std::size_t opened = 0;
  std::uint64_t generation = 0;  // bumped by close(): a request that sees it change gives up
};

asio::awaitable<boost::system::result<HttpResponse>> HttpsClient::Impl::exchange(
    const http::request<http::string_body>& request, Clock::time_point deadline) {
  const auto started = generation;
  auto fail = [&](error_code ec) -> error_code {
    connection.reset();
    return generation != started ? asio::error::operation_aborted : ec;
  };
  for (bool retried = false;; retried = true) {
    const bool reused = connection && !closed_while_idle(*connection);
    if (!reused) {
      connection.reset();
      auto fresh = co_await connect_tls(ex, tls, host, port, deadline);
      if (!fresh) co_return fail(fresh.error().code);
      if (generation != started) co_return fail(asio::error::operation_aborted);
      connection.emplace(std::move(*fresh));
      buffer.clear();
      ++opened;
    }
    beast::get_lowest_layer(*connection).expires_at(deadline);

    auto [write_ec, written] = co_await http::async_write(*connection, request, asio::as_tuple(asio::use_awaitable));
    if (write_ec) {
      // Writing into a kept connection the server dropped a moment ago fails before the
      // request is complete, so the server cannot have acted on it: safe to send once more.
      const bool stale = reused && !retried && write_ec != beast::error::timeout &&
                         generation == started;
      const error_code reported = fail(write_ec);
      if (stale) continue;
      co_return reported;
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(max_body_bytes);
    auto [read_ec, read] = co_await http::async_read(*connection, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (read_ec || generation != started) co_return fail(read_ec);

    auto& response = parser.get();
    if (!response.keep_alive()) connection.reset();
    co_return HttpResponse{response.result_int(), std::move(response.body()),
                           parse_retry_after(response[http::field::retry_after]), headers_of(response)};
  }
}

HttpsClient::HttpsClient(asio::any_io_executor ex, asio::ssl::context& tls, std::string host,
                         std::string port)
    : impl_(std::make_shared<Impl>(std::move(ex), tls, std::move(host), std::move(port))) {}

HttpsClient::~HttpsClient() { close(); }

asio::awaitable<boost::system::result<HttpResponse>> HttpsClient::request(HttpRequest request,
                                                                          std::chrono::milliseconds timeout) {
  if (has_line_break(request.target) || has_line_break(request.content_type) ||
      has_line_break(request.authorization))
    co_return error_code(asio::error::invalid_argument);

  http::request<http::string_body> message{verb_of(request.method), request.target, 11};
  message.set(http::field::host, host_header(impl_->host, impl_->port));
  message.set(http::field::user_agent, "microalign/0.1");
  message.set(http::field::accept, "application/json");
  if (!request.content_type.empty()) message.set(http::field::content_type, request.content_type);
  if (!request.authorization.empty()) message.set(http::field::authorization, request.authorization);
  message.body() = std::move(request.body);
  message.prepare_payload();

  auto impl = impl_;  // the client may be destroyed while this request waits or runs
  auto [turn_ec] = co_await impl->turns.async_send(error_code{}, asio::as_tuple(asio::use_awaitable));
  if (turn_ec) co_return turn_ec;
  TurnHeld turn(impl->turns);
  co_return co_await impl->exchange(message, Clock::now() + timeout);
}

asio::awaitable<boost::system::result<HttpResponse>> HttpsClient::post(HttpRequest request,
                                                                       std::chrono::milliseconds timeout) {
  request.method = HttpMethod::post;
  co_return co_await this->request(std::move(request), timeout);
}

void HttpsClient::close() {
  ++impl_->generation;
  // Only closed, not destroyed: a request in progress may still be inside the stream. It
  // fails and drops the connection; an idle one is replaced by the next request.
  if (impl_->connection) beast::get_lowest_layer(*impl_->connection).close();
}

std::size_t HttpsClient::connections_opened() const { return impl_->opened; }

}  // namespace microalign::net
