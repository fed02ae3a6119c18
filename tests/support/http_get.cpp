#include "http_get.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace microalign::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpGot http_request(std::uint16_t port, std::string_view target, std::string_view method,
                     std::chrono::milliseconds timeout, const HttpHeaders& headers, std::string body) {
  asio::io_context ioc;
  HttpGot got;
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::user_agent, "Prometheus/2.42.0");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = std::move(body);
  request.prepare_payload();
  const bool head = method == "HEAD";
  const asio::ip::tcp::endpoint bot(asio::ip::make_address("127.0.0.1"), port);
  auto exchange = [&]() -> asio::awaitable<void> {
    constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout);
    auto [connect_ec] = co_await stream.async_connect(bot, use_tuple);
    if (connect_ec) co_return;
    auto [write_ec, written] = co_await http::async_write(stream, request, use_tuple);
    if (write_ec) co_return;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.skip(head);  // a HEAD answer has a Content-Length but no body
    auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (read_ec) co_return;
    // Field by field, not a braced list: GCC 12 miscompiles those inside coroutines.
    const auto& response = parser.get();
    got.status = response.result_int();
    got.body = response.body();
    got.content_type = std::string(response[http::field::content_type]);
    got.allow = std::string(response[http::field::allow]);
    got.content_length = std::string(response[http::field::content_length]);
  };
  asio::co_spawn(ioc, exchange(), asio::detached);
  ioc.run();
  return got;
}

}  // namespace microalign::test
