#include "load_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <charconv>
#include <deque>
#include <nlohmann/json.hpp>

#include "microalign/net/signal.hpp"

namespace microalign::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<beast::tcp_stream>;
using WsStream = websocket::stream<TlsStream>;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Every bot scope microalign's manifest asks for, so that an app checking its scopes at start
// finds them.
constexpr const char* bot_scopes =
    "app_mentions:read,channels:history,channels:read,chat:write,chat:write.public,commands,groups:history,"
    "groups:read,im:history,im:read,im:write,reactions:read,users:read";

// Channels and people the envelopes come from: enough channels that per-channel pacing of the
// app's posts does not serialise everything, as in a company.
constexpr std::uint64_t channels = 50;
constexpr std::uint64_t people = 200;

std::string id_string(std::uint64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  return std::string(digits, end);
}

// A /heads-up as Slack sends it in Socket Mode (the shape of the SDKs' test payloads), numbered
// so that the acknowledgement names its envelope: "e-<n>".
std::string slash_command_envelope(std::uint64_t n, const std::string& response_url_base) {
  const auto id = id_string(n);
  const auto channel = id_string(1000 + n % channels);
  const auto user = id_string(1000 + n % people);
  std::string e;
  e.reserve(640);
  e += R"({"envelope_id":"e-)";
  e += id;
  e += R"(","payload":{"token":"verification-token","team_id":"T111","team_domain":"loadtest","channel_id":"C)";
  e += channel;
  e += R"(","channel_name":"load-)";
  e += channel;
  e += R"(","user_id":"U)";
  e += user;
  e += R"(","user_name":"user-)";
  e += user;
  e += R"(","command":"/heads-up","text":"ENG-)";
  e += id;
  e += R"( rollout of the export moves to Thursday; the API contract stays as agreed <https://example.com/plans/)";
  e += id;
  e += ">";
  e += R"(","api_app_id":"A111","is_enterprise_install":"false","response_url":")";
  e += response_url_base;
  e += id;
  e += R"(","trigger_id":")";
  e += id;
  e += R"(.222.xxx"},"type":"slash_commands","accepts_response_payload":true})";
  return e;
}

// The envelope number an acknowledgement names, found without parsing the whole frame.
std::optional<std::uint64_t> acked_envelope(std::string_view frame) {
  constexpr std::string_view key = R"("envelope_id":"e-)";
  auto at = frame.find(key);
  if (at == std::string_view::npos) {
    constexpr std::string_view spaced = R"("envelope_id": "e-)";  // some JSON writers add a space
    at = frame.find(spaced);
    if (at == std::string_view::npos) return std::nullopt;
    at += spaced.size();
  } else {
    at += key.size();
  }
  std::uint64_t n = 0;
  const auto* begin = frame.data() + at;
  auto [end, ec] = std::from_chars(begin, frame.data() + frame.size(), n);
  if (ec != std::errc{} || end == begin) return std::nullopt;
  return n;
}

std::string form_field(std::string_view body, std::string_view name) {
  std::size_t at = 0;
  while (at < body.size()) {
    auto end = body.find('&', at);
    if (end == std::string_view::npos) end = body.size();
    const auto pair = body.substr(at, end - at);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    at = end + 1;
  }
  return {};
}

}  // namespace

struct LoadServer::Impl : std::enable_shared_from_this<Impl> {
  struct Socket {
    explicit Socket(WsStream stream) : ws(std::move(stream)), wake(ws.get_executor()) {}
    WsStream ws;
    std::deque<std::uint64_t> queue;
    net::Signal wake;
    bool open = true;
    bool greeted = false;
  };

  Impl(asio::io_context& io, const std::filesystem::path& cert, const std::filesystem::path& key, int hint)
      : io(io),
        tls(asio::ssl::context::tls_server),
        acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}),
        num_connections_hint(hint) {
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    tls.use_certificate_chain_file(cert.string());
    tls.use_private_key_file(key.string(), asio::ssl::context::pem);
    port = std::to_string(acceptor.local_endpoint().port());
    response_url_base = "https://127.0.0.1:" + port + "/response/";
  }

  void start() { asio::co_spawn(io, accept_loop(shared_from_this()), asio::detached); }

  static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    for (;;) {
      auto [ec, socket] = co_await self->acceptor.async_accept(use_tuple);
      if (ec) co_return;
      socket.set_option(tcp::no_delay(true));
      asio::co_spawn(self->io, serve(self, std::move(socket)), asio::detached);
    }
  }

  static asio::awaitable<void> serve(std::shared_ptr<Impl> self, tcp::socket socket) {
    TlsStream stream(beast::tcp_stream(std::move(socket)), self->tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    auto [handshake] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (handshake) co_return;
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
      auto [read, bytes] = co_await http::async_read(stream, buffer, request, use_tuple);
      if (read) co_return;
      beast::get_lowest_layer(stream).expires_never();
      if (websocket::is_upgrade(request)) {
        co_await self->serve_socket(std::move(stream), std::move(request));
        co_return;
      }
      auto response = self->answer(request);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      auto [write, written] = co_await http::async_write(stream, response, use_tuple);
      if (write || !request.keep_alive()) co_return;
    }
  }

  http::response<http::string_body> answer(const http::request<http::string_body>& request) {
    const std::string_view target = request.target();
    http::response<http::string_body> response(http::status::ok, request.version());
    if (target.starts_with("/response/")) {
      ++calls["response_url"];
      response.set(http::field::content_type, "text/html");
      response.body() = "ok";
      return response;
    }
    std::string method(target.starts_with("/api/") ? target.substr(5) : target);
    method = method.substr(0, method.find('?'));
    ++calls[method];
    response.set(http::field::content_type, "application/json; charset=utf-8");
    response.set("x-oauth-scopes", bot_scopes);
    response.body() = web_api(method, request).dump();
    return response;
  }

  // The field a call names, from a JSON or a form body.
  static std::string param(const http::request<http::string_body>& request, const char* name) {
    const std::string_view type = request[http::field::content_type];
    if (type.starts_with("application/json")) {
      const auto body = nlohmann::json::parse(request.body(), nullptr, false);
      if (body.is_object() && body.contains(name) && body[name].is_string()) return body[name].get<std::string>();
      return {};
    }
    return form_field(request.body(), name);
  }

  nlohmann::json web_api(const std::string& method, const http::request<http::string_body>& request) {
    using nlohmann::json;
    if (method == "apps.connections.open") {
      return {{"ok", true},
              {"url", "wss://127.0.0.1:" + port + "/link/?ticket=" + id_string(++tickets) + "&app_id=A111"}};
    }
    if (method == "auth.test") {
      return {{"ok", true},          {"url", "https://loadtest.slack.com/"},
              {"team", "load test"}, {"user", "microalign"},
              {"team_id", "T111"},   {"user_id", "UBOT"},
              {"bot_id", "BBOT"},    {"is_enterprise_install", false}};
    }
    if (method == "chat.postMessage" || method == "chat.update") {
      const auto n = ++posted;
      const auto ts = id_string(1700000000 + n / 100000) + "." + id_string(100000 + n % 100000);
      return {{"ok", true}, {"channel", param(request, "channel")}, {"ts", ts}};
    }
    if (method == "chat.postEphemeral") return {{"ok", true}, {"message_ts", "1700000000.000001"}};
    if (method == "conversations.open") {
      const auto users = param(request, "users");
      return {{"ok", true}, {"channel", {{"id", "D" + users.substr(0, users.find(','))}}}};
    }
    if (method == "users.info") {
      const auto user = param(request, "user");
      return {{"ok", true},
              {"user",
               {{"id", user},
                {"team_id", "T111"},
                {"name", "user-" + user},
                {"real_name", "User " + user},
                {"tz", "Europe/Berlin"},
                {"tz_offset", 3600},
                {"profile", {{"real_name", "User " + user}, {"display_name", "user-" + user}}}}}};
    }
    return {{"ok", true}};
  }

  asio::awaitable<void> serve_socket(TlsStream stream, http::request<http::string_body> upgrade) {
    auto socket = std::make_shared<Socket>(WsStream(std::move(stream)));
    auto& ws = socket->ws;
    // Slack pings a quiet socket; Bolt reconnects when it hears no ping for 30 s.
    websocket::stream_base::timeout timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = std::chrono::seconds(20);
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.auto_fragment(false);
    ws.text(true);
    auto [accepted] = co_await ws.async_accept(upgrade, use_tuple);
    if (accepted) co_return;
    sockets.push_back(socket);
    asio::co_spawn(io, write_loop(shared_from_this(), socket), asio::detached);
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, bytes] = co_await ws.async_read(buffer, use_tuple);
      if (ec) break;
      const auto* data = static_cast<const char*>(buffer.data().data());
      on_frame(std::string_view(data, buffer.size()));
      buffer.consume(buffer.size());
    }
    socket->open = false;
    socket->wake.notify();
    std::erase(sockets, socket);
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<Impl> self, std::shared_ptr<Socket> socket) {
    const std::string hello = R"({"type":"hello","num_connections":)" + id_string(self->num_connections_hint) +
                              R"(,"debug_info":{"host":"applink-load","build_number":1,)"
                              R"("approximate_connection_time":18060},"connection_info":{"app_id":"A111"}})";
    auto [greeting, n] = co_await socket->ws.async_write(asio::buffer(hello), use_tuple);
    if (greeting) co_return;
    socket->greeted = true;
    if (!self->hello_at) self->hello_at = Clock::now();
    std::string frame;
    while (socket->open) {
      if (socket->queue.empty()) {
        co_await socket->wake.wait();
        continue;
      }
      const auto id = socket->queue.front();
      socket->queue.pop_front();
      frame = slash_command_envelope(id, self->response_url_base);
      auto [ec, written] = co_await socket->ws.async_write(asio::buffer(frame), use_tuple);
      if (ec) co_return;
    }
  }

  void on_frame(std::string_view frame) {
    const auto id = acked_envelope(frame);
    if (!id) {
      ++unreadable;
      return;
    }
    auto& phase = current;
    if (!phase.contains(*id)) {
      ++late;
      return;
    }
    auto& ms = phase.ack_ms[*id - phase.first];
    if (ms >= 0) return;  // a second ack of one envelope
    const auto now = Clock::now();
    ms = std::chrono::duration<double, std::milli>(now - phase.sent_at[*id - phase.first]).count();
    ++phase.acked;
    phase.last_ack = now;
  }

  std::vector<std::shared_ptr<Socket>> usable() const {
    std::vector<std::shared_ptr<Socket>> out;
    for (const auto& s : sockets) {
      if (s->open && s->greeted) out.push_back(s);
    }
    return out;
  }

  asio::io_context& io;
  asio::ssl::context tls;
  tcp::acceptor acceptor;
  int num_connections_hint;
  std::string port;
  std::string response_url_base;
  std::vector<std::shared_ptr<Socket>> sockets;
  std::optional<Clock::time_point> hello_at;
  Phase current;
  std::uint64_t next_id = 1;
  std::uint64_t next_to_send = 1;
  std::uint64_t turn = 0;
  std::uint64_t tickets = 0;
  std::uint64_t posted = 0;
  std::uint64_t late = 0;
  std::uint64_t unreadable = 0;
  std::map<std::string, std::uint64_t> calls;
};

LoadServer::LoadServer(asio::io_context& io, const std::filesystem::path& cert, const std::filesystem::path& key,
                       int num_connections_hint)
    : impl_(std::make_shared<Impl>(io, cert, key, num_connections_hint)) {
  impl_->start();
}

LoadServer::~LoadServer() {
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& socket : impl_->sockets) {
    socket->open = false;
    beast::get_lowest_layer(socket->ws).close();
  }
}

std::string LoadServer::api_url() const { return "https://127.0.0.1:" + impl_->port + "/api/"; }

std::size_t LoadServer::open_sockets() const { return impl_->usable().size(); }

std::optional<Clock::time_point> LoadServer::first_hello() const { return impl_->hello_at; }

Phase& LoadServer::begin_phase(std::uint64_t count) {
  auto& p = impl_->current;
  p = Phase{};
  p.first = impl_->next_id;
  p.count = count;
  p.sent_at.resize(count);
  p.ack_ms.assign(count, -1.0);
  impl_->next_id += count;
  impl_->next_to_send = p.first;
  return p;
}

Phase& LoadServer::phase() { return impl_->current; }

std::uint64_t LoadServer::envelopes_queued() const { return impl_->next_id - 1; }

void LoadServer::send_next(std::uint64_t n) {
  auto sockets = impl_->usable();
  if (sockets.empty()) return;
  auto& p = impl_->current;
  const auto end = std::min(p.first + p.count, impl_->next_to_send + n);
  // Timed from when it is due, not from when it was written: an app that stops reading makes
  // the queue wait, and that wait is part of its latency.
  const auto now = Clock::now();
  for (; impl_->next_to_send < end; ++impl_->next_to_send, ++p.sent) {
    p.sent_at[impl_->next_to_send - p.first] = now;
    auto& socket = sockets[impl_->turn++ % sockets.size()];
    socket->queue.push_back(impl_->next_to_send);
    if (socket->queue.size() == 1) socket->wake.notify();
  }
}

std::map<std::string, std::uint64_t> LoadServer::calls() const { return impl_->calls; }
std::uint64_t LoadServer::late_acks() const { return impl_->late; }
std::uint64_t LoadServer::unreadable_frames() const { return impl_->unreadable; }

}  // namespace microalign::bench
