#include "microalign/net/websocket.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket.hpp>

#include "microalign/net/tls.hpp"

namespace microalign::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr std::size_t max_message_bytes = 16 * 1024 * 1024;

WssConnectError failed(const char* step, const Url& url, boost::system::error_code ec,
                       std::string detail = {}) {
  std::string reason = std::string(step) + " with " + host_header(url.host, url.port, true) +
                       ": " + (detail.empty() ? ec.message() : detail);
  return {ec, std::move(reason)};
}

}  // namespace

asio::awaitable<boost::system::result<std::unique_ptr<WssStream>, WssConnectError>> connect_wss(
    asio::any_io_executor ex, asio::ssl::context& tls, const Url& url, std::chrono::milliseconds connect_timeout,
    std::optional<std::chrono::milliseconds> idle_timeout) {
  const auto deadline = std::chrono::steady_clock::now() + connect_timeout;
  auto stream = co_await connect_tls(ex, tls, url.host, url.port, deadline);
  if (!stream) co_return failed(stream.error().step, url, stream.error().code);

  auto ws = std::make_unique<WssStream>(std::move(*stream));
  ws->set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
    request.set(beast::http::field::user_agent, "microalign/0.1");
  }));
  websocket::response_type response;
  auto [ec] = co_await ws->async_handshake(response, host_header(url.host, url.port, true),
                                           url.target, asio::as_tuple(asio::use_awaitable));
  if (ec) {
    // A refused upgrade is an HTTP answer (Slack has sent 408): its status says why.
    std::string detail = response.result_int() == 0
                             ? ec.message()
                             : ec.message() + " (HTTP " + std::to_string(response.result_int()) + ")";
    co_return failed("WebSocket handshake", url, ec, std::move(detail));
  }

  // From here the websocket stream keeps time itself; the TCP deadline would cut it short.
  beast::get_lowest_layer(*ws).expires_never();
  if (idle_timeout) {
    ws->set_option(websocket::stream_base::timeout{connect_timeout, *idle_timeout, true});
  } else {
    ws->set_option(websocket::stream_base::timeout{connect_timeout, websocket::stream_base::none(), false});
  }
  ws->text(true);
  ws->read_message_max(max_message_bytes);
  co_return std::move(ws);
}

}  // namespace microalign::net
