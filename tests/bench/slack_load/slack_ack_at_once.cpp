// The app slack_load measures its own ceiling with: a Socket Mode client that acknowledges
// every envelope the moment it reads it, and does nothing else. It takes the environment
// slack_load gives every app (SLACK_APP_TOKEN, SLACK_API_URL, SSL_CERT_FILE,
// SLACK_LOAD_CONNECTIONS) and opens that many sockets, each read and answered in turn.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "microalign/net/https_client.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/net/url.hpp"
#include "microalign/net/websocket.hpp"

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The envelope id of a frame, found without parsing it: the ack is only {"envelope_id": …}.
std::string envelope_id(std::string_view frame) {
  constexpr std::string_view key = R"("envelope_id":")";
  const auto at = frame.find(key);
  if (at == std::string_view::npos) return {};
  const auto begin = at + key.size();
  const auto end = frame.find('"', begin);
  return end == std::string_view::npos ? std::string{} : std::string(frame.substr(begin, end - begin));
}

asio::awaitable<void> serve_one_socket(asio::ssl::context& tls, microalign::net::Url api) {
  auto executor = co_await asio::this_coro::executor;
  microalign::net::HttpsClient client(executor, tls, api.host, api.port);
  microalign::net::HttpRequest request;
  request.target = api.target + "apps.connections.open";
  request.content_type = "application/x-www-form-urlencoded";
  request.authorization = "Bearer " + env("SLACK_APP_TOKEN");
  auto reply = co_await client.post(std::move(request), 10s);
  if (!reply || reply->status != 200) throw std::runtime_error("apps.connections.open failed");
  const auto body = nlohmann::json::parse(reply->body);
  const auto url = microalign::net::Url::parse(body.at("url").get<std::string>());
  if (!url) throw std::runtime_error("apps.connections.open returned no URL");
  auto connected = co_await microalign::net::connect_wss(executor, tls, *url, 10s, std::nullopt);
  if (!connected) throw std::runtime_error("websocket: " + connected.error().reason);
  auto& ws = **connected;
  boost::beast::flat_buffer buffer;
  std::string ack;
  for (;;) {
    co_await ws.async_read(buffer, asio::use_awaitable);
    const auto id = envelope_id(std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()));
    buffer.consume(buffer.size());
    if (id.empty()) continue;  // hello, disconnect
    ack = R"({"envelope_id":")" + id + R"("})";
    co_await ws.async_write(asio::buffer(ack), asio::use_awaitable);
  }
}

}  // namespace

int main() {
  auto api = microalign::net::Url::parse(env("SLACK_API_URL"));
  if (!api) {
    std::cerr << "slack_ack_at_once: SLACK_API_URL is not an https:// URL\n";
    return 2;
  }
  const int sockets = std::max(1, std::atoi(env("SLACK_LOAD_CONNECTIONS").c_str()));
  asio::io_context io(1);
  auto tls = microalign::net::make_client_tls_context();
  int exit_code = 0;
  for (int i = 0; i < sockets; ++i) {
    asio::co_spawn(io, serve_one_socket(tls, *api), [&](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& error) {
        std::cerr << "slack_ack_at_once: " << error.what() << "\n";
      }
      exit_code = 1;
      io.stop();
    });
  }
  io.run();
  return exit_code;
}
