#include "fake_slack.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include "form_fields.hpp"
#include "tls_test_server.hpp"

namespace microalign::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using Json = nlohmann::json;
using Stream = TlsStream;
using Request = HttpRequest;
using Response = HttpResponse;
using namespace std::chrono_literals;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr auto close_limit = 1s;         // closing handshake the fake starts
constexpr std::uint64_t max_request_body = 64 * 1024 * 1024;
constexpr ReportFailure report{"fake Slack"};

std::string text_param(const Json& params, const char* key) {
  const auto it = params.find(key);
  return it != params.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

ApiCall to_call(const Request& request) {
  ApiCall call;
  call.target = std::string_view(request.target());
  const std::string_view path = path_of(call.target);
  if (path.starts_with("/api/")) call.method = path.substr(5);
  if (path.starts_with("/response/")) call.method = FakeSlack::response_url_method;
  call.content_type = std::string_view(request[http::field::content_type]);
  call.authorization = std::string_view(request[http::field::authorization]);
  if (std::string_view(call.content_type).starts_with("application/json")) {
    call.params = Json::parse(request.body(), nullptr, false);  // discarded when invalid
  } else {
    call.params = form_fields(query_of(call.target));
    call.params.update(form_fields(request.body()));  // a body field wins over the query's
  }
  return call;
}

// An HTTP connection the fake serves requests on (until it becomes a WebSocket).
struct HttpConnection {
  beast::tcp_stream& tcp;
  bool waiting = false;          // for its next request
  bool close_requested = false;  // by close_http_connections(), while answering
};

struct Outgoing {
  enum class Kind { text, binary, close, drop } kind;
  std::string data;
};

// One Socket Mode connection. Lives on the fake's thread: a reader coroutine records what
// arrives, a writer coroutine sends the outbox in order.
struct WsSession {
  explicit WsSession(Stream stream) : ws(std::move(stream)), wake(ws.get_executor()) {}

  void enqueue(Outgoing item) {
    outbox.push_back(std::move(item));
    wake.cancel();
  }

  websocket::stream<Stream> ws;
  int id = 0;
  std::deque<Outgoing> outbox;
  asio::steady_timer wake;  // the writer sleeps on it while the outbox is empty
  bool silent = false;      // go_silent(): no more reading or writing
  bool ended = false;
};

}  // namespace

struct FakeSlack::Impl {
  Impl(const TestPki& pki, Options options);
  ~Impl();

  // On the fake's thread.
  asio::awaitable<void> serve(Stream stream);
  asio::awaitable<Response> respond(const Request& request);
  asio::awaitable<void> serve_socket(Stream stream, Request upgrade);
  asio::awaitable<void> read_frames(std::shared_ptr<WsSession> session);
  asio::awaitable<void> write_frames(std::shared_ptr<WsSession> session);
  asio::awaitable<void> close_after(std::shared_ptr<WsSession> session, std::chrono::milliseconds grace);
  asio::awaitable<void> hello_after(std::shared_ptr<WsSession> session, Json hello, std::chrono::milliseconds delay);
  class HttpRegistration;
  Reply answer(const ApiCall& call);
  std::optional<Reply> refuse(const ApiCall& call) const;
  Reply built_in(const ApiCall& call);  // with `mutex` held
  std::string next_ts();                // with `mutex` held
  void ended(WsSession& session, std::optional<std::uint16_t> client_close);

  // From the test's thread: runs `action` with the live session `id`, if there is one.
  template <class Action>
  void with_session(int id, Action action) {
    asio::post(server.ioc(), [this, id, action = std::move(action)]() mutable {
      if (auto found = live.find(id); found != live.end()) action(found->second);
    });
  }
  template <class Ready>
  bool wait(std::chrono::milliseconds timeout, Ready ready) const {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, ready);
  }

  const Options options;

  // Shared with the test's thread.
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<ApiCall> calls;
  std::map<std::string, std::deque<Reply>, std::less<>> queued;
  std::map<std::string, std::deque<std::chrono::milliseconds>, std::less<>> late;  // answer_late()
  std::map<std::string, std::function<Reply(const ApiCall&)>, std::less<>> handlers;
  std::vector<Json> posted;
  std::set<std::string> unused_tickets;
  int tickets_issued = 0;
  int messages_posted = 0;
  std::size_t http_connections = 0;
  std::map<int, SocketInfo> sockets;
  bool send_hello;
  std::chrono::milliseconds hello_delay{0};
  std::size_t http_open = 0;  // http_serving.size()

  // The fake's thread only; outlives the io_context, whose coroutines register here.
  std::set<HttpConnection*> http_serving;

  // Destroyed before the state above (its coroutines point into it) and after the objects
  // below (they hold its sockets).
  TlsTestServer server;

  // The fake's thread only.
  std::map<int, std::shared_ptr<WsSession>> live;
};

FakeSlack::Impl::Impl(const TestPki& pki, Options opts)
    : options(std::move(opts)), send_hello(options.send_hello), server(pki, report.who) {
  server.run([this](Stream stream) { return serve(std::move(stream)); });
}

// The thread ends before `live`, which holds sockets of its io_context, is destroyed.
FakeSlack::Impl::~Impl() { server.stop(); }

// Lists a connection in `http_serving` while it serves HTTP, so close_http_connections()
// can find it and wait for it.
class FakeSlack::Impl::HttpRegistration {
 public:
  HttpRegistration(Impl& impl, HttpConnection& connection) : impl_(&impl), connection_(&connection) {
    impl.http_serving.insert(&connection);
    std::lock_guard lock(impl.mutex);
    impl.http_open = impl.http_serving.size();
  }
  ~HttpRegistration() { release(); }
  HttpRegistration(const HttpRegistration&) = delete;
  HttpRegistration& operator=(const HttpRegistration&) = delete;

  void release() {
    if (!impl_) return;
    impl_->http_serving.erase(connection_);
    std::lock_guard lock(impl_->mutex);
    impl_->http_open = impl_->http_serving.size();
    impl_->changed.notify_all();
    impl_ = nullptr;
  }

 private:
  Impl* impl_;
  HttpConnection* connection_;
};

asio::awaitable<void> FakeSlack::Impl::serve(Stream stream) {
  HttpConnection connection{stream.next_layer()};
  HttpRegistration registration(*this, connection);
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    if (connection.close_requested) {
      connection.tcp.close();  // now, before the registration ends and a waiting test goes on
      co_return;
    }
    connection.waiting = true;
    std::optional<Request> request = co_await read_request(stream, buffer, max_request_body);
    connection.waiting = false;
    if (!request) co_return;

    if (websocket::is_upgrade(*request)) {
      registration.release();
      co_await serve_socket(std::move(stream), std::move(*request));
      co_return;
    }
    if (first) {
      std::lock_guard lock(mutex);
      ++http_connections;
    }
    Response response = co_await respond(*request);
    const bool written = co_await write_response(stream, response);
    if (!written || !response.keep_alive()) co_return;
  }
}

asio::awaitable<Response> FakeSlack::Impl::respond(const Request& request) {
  const ApiCall call = to_call(request);
  Reply reply = call.method.empty() ? Reply{404, {}, "no such endpoint"} : answer(call);
  // First, so that a reply's own header replaces it.
  if (options.bot_scopes && call.method != response_url_method && call.authorization == "Bearer " + options.bot_token)
    reply.headers.emplace(reply.headers.begin(), "x-oauth-scopes", *options.bot_scopes);
  return reply_to(request, std::move(reply));
}

Reply FakeSlack::Impl::answer(const ApiCall& call) {
  std::unique_lock lock(mutex);
  std::function<Reply(const ApiCall&)> handler;
  std::optional<Reply> reply = [&]() -> std::optional<Reply> {
    if (call.method != response_url_method)
      if (auto refused = refuse(call)) return refused;
    if (call.params.is_discarded()) return Reply::error("invalid_json");
    if (auto queue = queued.find(call.method); queue != queued.end() && !queue->second.empty()) {
      Reply next = std::move(queue->second.front());
      queue->second.pop_front();
      return next;
    }
    if (auto found = handlers.find(call.method); found != handlers.end()) {
      handler = found->second;
      return std::nullopt;
    }
    return built_in(call);
  }();
  if (!reply) {
    lock.unlock();  // the test's handler may take its own locks
    reply = handler(call);
    lock.lock();
  }
  if (auto delays = late.find(call.method); delays != late.end() && !delays->second.empty()) {
    reply->delay = delays->second.front();
    delays->second.pop_front();
  }
  calls.push_back(call);
  changed.notify_all();
  return std::move(*reply);
}

std::optional<Reply> FakeSlack::Impl::refuse(const ApiCall& call) const {
  const std::string& token =
      call.method == "apps.connections.open" ? options.app_token : options.bot_token;
  if (call.authorization.empty()) return Reply::error("not_authed");
  if (call.authorization != "Bearer " + token) return Reply::error("invalid_auth");
  return std::nullopt;
}

std::string FakeSlack::Impl::next_ts() {
  const int n = ++messages_posted;
  char ts[32];
  std::snprintf(ts, sizeof ts, "%d.%06d", 1700000000 + n / 10000, (n % 10000) * 100);
  return ts;
}

Reply FakeSlack::Impl::built_in(const ApiCall& call) {
  const Json& p = call.params;
  const std::string& method = call.method;
  if (method == response_url_method) return Reply{200, {{"Content-Type", "text/html"}}, "ok"};
  if (method == "apps.connections.open") {
    const std::string ticket = std::to_string(++tickets_issued);
    unused_tickets.insert(ticket);
    return Reply::json(
        {{"ok", true}, {"url", "wss://127.0.0.1:" + server.port() + "/link/?ticket=" + ticket + "&app_id=A111"}});
  }
  if (method == "auth.test") {
    return Reply::json({{"ok", true}, {"url", "https://microalign-test.slack.com/"},
                        {"team", "microalign test"}, {"user", "microalign"}, {"team_id", "T111"},
                        {"user_id", "UBOT"}, {"bot_id", "BBOT"}, {"is_enterprise_install", false}});
  }
  if (method == "users.info") {
    const std::string user = text_param(p, "user");
    if (user.empty()) return Reply::error("user_not_found");
    return Reply::json(
        {{"ok", true},
         {"user", {{"id", user}, {"team_id", "T111"}, {"name", "user-" + user},
                   {"real_name", "User " + user}, {"deleted", false}, {"is_bot", false},
                   {"tz", "Europe/Berlin"}, {"tz_label", "Central European Time"},
                   {"tz_offset", 3600},
                   {"profile", {{"real_name", "User " + user}, {"display_name", "user-" + user}}}}}});
  }
  if (method == "conversations.open") {
    const std::string users = text_param(p, "users");
    if (users.empty()) return Reply::error("users_list_not_supplied");
    return Reply::json({{"ok", true}, {"channel", {{"id", "D" + users.substr(0, users.find(','))}}}});
  }
  if (method == "chat.postMessage") {
    const std::string channel = text_param(p, "channel");
    if (channel.empty()) return Reply::error("channel_not_found");
    if (!p.contains("text") && !p.contains("blocks") && !p.contains("attachments"))
      return Reply::error("no_text");
    const std::string ts = next_ts();
    Json message = {{"type", "message"}, {"text", text_param(p, "text")}, {"user", "UBOT"},
                    {"bot_id", "BBOT"}, {"app_id", "A111"}, {"team", "T111"}, {"ts", ts}};
    if (p.contains("blocks")) {
      const Json& blocks = p["blocks"];
      message["blocks"] = blocks.is_string() ? Json::parse(blocks.get<std::string>(), nullptr, false) : blocks;
      if (message["blocks"].is_discarded()) return Reply::error("invalid_blocks");
    }
    if (const std::string thread = text_param(p, "thread_ts"); !thread.empty()) message["thread_ts"] = thread;
    Json record = message;
    record["channel"] = channel;
    posted.push_back(std::move(record));
    return Reply::json({{"ok", true}, {"channel", channel}, {"ts", ts}, {"message", message}});
  }
  if (method == "chat.postEphemeral") {
    if (text_param(p, "channel").empty()) return Reply::error("channel_not_found");
    if (text_param(p, "user").empty()) return Reply::error("user_not_in_channel");
    return Reply::json({{"ok", true}, {"message_ts", next_ts()}});
  }
  if (method == "chat.update") {
    const std::string channel = text_param(p, "channel");
    const std::string ts = text_param(p, "ts");
    if (channel.empty()) return Reply::error("channel_not_found");
    if (ts.empty()) return Reply::error("message_not_found");
    return Reply::json({{"ok", true}, {"channel", channel}, {"ts", ts}, {"text", text_param(p, "text")}});
  }
  return Reply::error("unknown_method");
}

asio::awaitable<void> FakeSlack::Impl::serve_socket(Stream stream, Request upgrade) {
  const std::string_view target = upgrade.target();
  const Json query = form_fields(query_of(target));
  bool admitted;
  {
    std::lock_guard lock(mutex);
    admitted = path_of(target) == "/link/" && unused_tickets.erase(text_param(query, "ticket")) == 1;
  }
  if (!admitted) {
    // Each ticket opens one connection: a client that re-uses a URL is refused for good.
    Response refusal{http::status::unauthorized, upgrade.version()};
    refusal.body() = "invalid ticket";
    refusal.keep_alive(false);
    refusal.prepare_payload();
    co_await write_response(stream, refusal);
    co_return;
  }

  auto session = std::make_shared<WsSession>(std::move(stream));
  session->ws.set_option(websocket::stream_base::timeout{close_limit, websocket::stream_base::none(), false});
  auto [accept_ec] = co_await session->ws.async_accept(upgrade, use_tuple);
  if (accept_ec) co_return;

  int open_now = 0;
  bool hello = false;
  std::chrono::milliseconds delay{0};
  {
    std::lock_guard lock(mutex);
    session->id = static_cast<int>(sockets.size()) + 1;
    sockets[session->id] = SocketInfo{session->id, true, {}, std::nullopt};
    for (const auto& [id, info] : sockets) open_now += info.open ? 1 : 0;
    hello = send_hello;
    delay = hello_delay;
    changed.notify_all();
  }
  live[session->id] = session;
  if (hello && delay > 0ms) {
    asio::co_spawn(server.ioc(), hello_after(session, hello_frame(open_now), delay), report);
  } else if (hello) {
    session->enqueue({Outgoing::Kind::text, hello_frame(open_now).dump()});
  }
  asio::co_spawn(server.ioc(), write_frames(session), report);
  co_await read_frames(session);
}

asio::awaitable<void> FakeSlack::Impl::read_frames(std::shared_ptr<WsSession> session) {
  beast::flat_buffer buffer;
  for (;;) {
    // Reading also answers the client's pings, as Slack does.
    auto [ec, size] = co_await session->ws.async_read(buffer, use_tuple);
    if (session->silent) co_return;  // half-open on purpose: the socket stays in `live`
    if (ec) {
      ended(*session, ec == websocket::error::closed
                          ? std::optional<std::uint16_t>(session->ws.reason().code)
                          : std::nullopt);
      co_return;
    }
    Frame frame{beast::buffers_to_string(buffer.data()), !session->ws.got_text(), {}};
    buffer.consume(buffer.size());
    frame.json = Json::parse(frame.text, nullptr, false);
    std::lock_guard lock(mutex);
    sockets[session->id].frames.push_back(std::move(frame));
    changed.notify_all();
  }
}

asio::awaitable<void> FakeSlack::Impl::write_frames(std::shared_ptr<WsSession> session) {
  auto& ws = session->ws;
  while (!session->ended && !session->silent) {
    if (session->outbox.empty()) {
      session->wake.expires_at(asio::steady_timer::time_point::max());
      co_await session->wake.async_wait(use_tuple);
      continue;
    }
    Outgoing next = std::move(session->outbox.front());
    session->outbox.pop_front();
    switch (next.kind) {
      case Outgoing::Kind::drop:
        beast::get_lowest_layer(ws).close();  // the reader sees the end and records it
        co_return;
      case Outgoing::Kind::close:
        co_await ws.async_close(websocket::close_code::normal, use_tuple);
        co_return;
      case Outgoing::Kind::text:
      case Outgoing::Kind::binary:
        ws.binary(next.kind == Outgoing::Kind::binary);
        if (auto [ec, written] = co_await ws.async_write(asio::buffer(next.data), use_tuple); ec) co_return;
    }
  }
}

asio::awaitable<void> FakeSlack::Impl::close_after(std::shared_ptr<WsSession> session,
                                                   std::chrono::milliseconds grace) {
  asio::steady_timer timer(server.ioc(), grace);
  co_await timer.async_wait(use_tuple);
  if (!session->ended && !session->silent) session->enqueue({Outgoing::Kind::close, {}});
}

asio::awaitable<void> FakeSlack::Impl::hello_after(std::shared_ptr<WsSession> session, Json hello,
                                                   std::chrono::milliseconds delay) {
  asio::steady_timer timer(server.ioc(), delay);
  co_await timer.async_wait(use_tuple);
  if (!session->ended && !session->silent) session->enqueue({Outgoing::Kind::text, hello.dump()});
}

void FakeSlack::Impl::ended(WsSession& session, std::optional<std::uint16_t> client_close) {
  session.ended = true;
  session.wake.cancel();
  live.erase(session.id);
  std::lock_guard lock(mutex);
  sockets[session.id].open = false;
  sockets[session.id].client_close = client_close;
  changed.notify_all();
}

// ---- FakeSlack

FakeSlack::FakeSlack(const TestPki& pki) : FakeSlack(pki, Options{}) {}
FakeSlack::FakeSlack(const TestPki& pki, Options options)
    : impl_(std::make_unique<Impl>(pki, std::move(options))) {}
FakeSlack::~FakeSlack() = default;

std::string FakeSlack::host() const { return "127.0.0.1"; }
std::string FakeSlack::port() const { return impl_->server.port(); }
std::string FakeSlack::api_url() const { return "https://127.0.0.1:" + port() + "/api/"; }
std::string FakeSlack::response_url_base() const { return "https://127.0.0.1:" + port() + "/response/"; }
std::string FakeSlack::response_url(std::string_view id) const {
  return response_url_base() + std::string(id);
}

void FakeSlack::reply_next(std::string_view method, Reply reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->queued[std::string(method)].push_back(std::move(reply));
}

void FakeSlack::answer_late(std::string_view method, std::chrono::milliseconds delay) {
  std::lock_guard lock(impl_->mutex);
  impl_->late[std::string(method)].push_back(delay);
}

void FakeSlack::on(std::string_view method, std::function<Reply(const ApiCall&)> handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handlers[std::string(method)] = std::move(handler);
}

void FakeSlack::clear_handler(std::string_view method) {
  std::lock_guard lock(impl_->mutex);
  if (auto found = impl_->handlers.find(method); found != impl_->handlers.end()) impl_->handlers.erase(found);
}

std::vector<ApiCall> FakeSlack::calls(std::string_view method) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<ApiCall> out;
  for (const auto& call : impl_->calls)
    if (method.empty() || call.method == method) out.push_back(call);
  return out;
}

std::optional<ApiCall> FakeSlack::wait_for_call(std::string_view method,
                                                std::chrono::milliseconds timeout,
                                                std::size_t count) const {
  std::optional<ApiCall> found;
  impl_->wait(timeout, [&] {
    std::size_t seen = 0;
    for (const auto& call : impl_->calls)
      if (call.method == method && ++seen == count) {
        found = call;
        return true;
      }
    return false;
  });
  return found;
}

std::vector<Json> FakeSlack::posted_messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->posted;
}

std::size_t FakeSlack::http_connections_opened() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->http_connections;
}

bool FakeSlack::close_http_connections(std::chrono::milliseconds timeout) {
  asio::post(impl_->server.ioc(), [impl = impl_.get()] {
    for (HttpConnection* connection : impl->http_serving) {
      if (connection->waiting)
        connection->tcp.close();  // its reader ends and unregisters it
      else
        connection->close_requested = true;
    }
  });
  return impl_->wait(timeout, [&] { return impl_->http_open == 0; });
}

void FakeSlack::set_send_hello(bool send) {
  std::lock_guard lock(impl_->mutex);
  impl_->send_hello = send;
}

void FakeSlack::set_hello_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(impl_->mutex);
  impl_->hello_delay = delay;
}

std::size_t FakeSlack::socket_connections_opened() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->sockets.size();
}

std::vector<int> FakeSlack::open_sockets() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<int> out;
  for (const auto& [id, info] : impl_->sockets)
    if (info.open) out.push_back(id);
  return out;
}

SocketInfo FakeSlack::socket(int id) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->sockets.find(id);
  return found == impl_->sockets.end() ? SocketInfo{} : found->second;
}

bool FakeSlack::wait_for_connections(std::size_t open_at_once, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] {
    std::size_t open = 0;
    for (const auto& [id, info] : impl_->sockets) open += info.open ? 1 : 0;
    return open >= open_at_once;
  });
}

bool FakeSlack::wait_for_closed(int id, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] {
    const auto found = impl_->sockets.find(id);
    return found != impl_->sockets.end() && !found->second.open;
  });
}

std::optional<Json> FakeSlack::wait_for_ack(std::string_view envelope_id,
                                            std::chrono::milliseconds timeout) const {
  std::optional<Json> ack;
  impl_->wait(timeout, [&] {
    for (const auto& [id, info] : impl_->sockets)
      for (const auto& frame : info.frames)
        if (frame.json.is_object() && text_param(frame.json, "envelope_id") == envelope_id) {
          ack = frame.json;
          return true;
        }
    return false;
  });
  return ack;
}

void FakeSlack::send(int id, const Json& frame) { send_text(id, frame.dump()); }

void FakeSlack::send_text(int id, std::string text) {
  impl_->with_session(id, [text = std::move(text)](auto& session) mutable {
    session->enqueue({Outgoing::Kind::text, std::move(text)});
  });
}

void FakeSlack::send_binary(int id, std::string bytes) {
  impl_->with_session(id, [bytes = std::move(bytes)](auto& session) mutable {
    session->enqueue({Outgoing::Kind::binary, std::move(bytes)});
  });
}

std::optional<int> FakeSlack::send_envelope(const Json& envelope, std::optional<int> id) {
  if (!id) {
    const auto open = open_sockets();
    if (open.empty()) return std::nullopt;
    id = open.back();
  }
  send(*id, envelope);
  return id;
}

void FakeSlack::disconnect(int id, std::string_view reason, std::chrono::milliseconds grace) {
  impl_->with_session(id, [impl = impl_.get(), frame = disconnect_frame(reason).dump(), grace](auto& session) {
    session->enqueue({Outgoing::Kind::text, frame});
    asio::co_spawn(impl->server.ioc(), impl->close_after(session, grace), report);
  });
}

void FakeSlack::drop(int id) {
  impl_->with_session(id, [impl = impl_.get()](auto& session) {
    if (!session->silent) {
      session->enqueue({Outgoing::Kind::drop, {}});
      return;
    }
    // A silent socket has no reader or writer left to notice: close and record it here.
    beast::get_lowest_layer(session->ws).close();
    impl->ended(*session, std::nullopt);
  });
}

void FakeSlack::go_silent(int id) {
  impl_->with_session(id, [](auto& session) {
    session->silent = true;
    beast::get_lowest_layer(session->ws).cancel();  // ends the pending read and write
    session->wake.cancel();
  });
}

// ---- Replies

Reply Reply::json(const Json& body, unsigned status) { return Reply{status, {}, body.dump(), {}}; }

Reply Reply::error(std::string_view slack_error) {
  return json({{"ok", false}, {"error", std::string(slack_error)}});
}

Reply Reply::rate_limited(std::chrono::seconds retry_after) {
  Reply reply = json({{"ok", false}, {"error", "ratelimited"}}, 429);
  reply.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return reply;
}

// ---- Frames

Json hello_frame(int num_connections, std::string_view app_id) {
  return {{"type", "hello"},
          {"num_connections", num_connections},
          {"debug_info", {{"host", "applink-fake-1"}, {"build_number", 10}, {"approximate_connection_time", 18060}}},
          {"connection_info", {{"app_id", std::string(app_id)}}}};
}

Json disconnect_frame(std::string_view reason) {
  return {{"type", "disconnect"}, {"reason", std::string(reason)}, {"debug_info", {{"host", "applink-1"}}}};
}

Json slash_command(std::string_view envelope_id, std::string_view command, std::string_view text,
                   std::string_view user, std::string_view channel, std::string_view response_url) {
  return {{"envelope_id", std::string(envelope_id)},
          {"payload",
           {{"token", "verification-token"}, {"team_id", "T111"}, {"team_domain", "xxx"},
            {"channel_id", std::string(channel)}, {"channel_name", "random"},
            {"user_id", std::string(user)}, {"user_name", "user-" + std::string(user)},
            {"command", std::string(command)}, {"text", std::string(text)}, {"api_app_id", "A111"},
            {"response_url", std::string(response_url)}, {"trigger_id", "111.222.xxx"}}},
          {"type", "slash_commands"},
          {"accepts_response_payload", true}};
}

namespace {

Json events_api(std::string_view envelope_id, std::string_view event_id, Json event) {
  const std::string context = "1-" + event["type"].get<std::string>() + "-T111-" + event["channel"].get<std::string>();
  return {{"envelope_id", std::string(envelope_id)},
          {"payload",
           {{"token", "verification-token"}, {"team_id", "T111"}, {"api_app_id", "A111"},
            {"event", std::move(event)}, {"type", "event_callback"},
            {"event_id", std::string(event_id)}, {"event_time", 1610241741},
            {"authorizations", Json::array({{{"enterprise_id", nullptr}, {"team_id", "T111"},
                                             {"user_id", "UBOT"}, {"is_bot", true},
                                             {"is_enterprise_install", false}}})},
            {"is_ext_shared_channel", false}, {"event_context", context}}},
          {"type", "events_api"},
          {"accepts_response_payload", false},
          {"retry_attempt", 0},
          {"retry_reason", ""}};
}

Json message_event(std::string_view type, std::string_view text, std::string_view user,
                   std::string_view channel, std::string_view ts) {
  return {{"client_msg_id", "f0582a78-72db-4feb-b2f3-1e47d66365c8"}, {"type", std::string(type)},
          {"text", std::string(text)}, {"user", std::string(user)}, {"ts", std::string(ts)},
          {"team", "T111"}, {"channel", std::string(channel)}, {"event_ts", std::string(ts)}};
}

}  // namespace

Json app_mention(std::string_view envelope_id, std::string_view event_id, std::string_view text,
                 std::string_view user, std::string_view channel, std::string_view thread_ts,
                 std::string_view ts) {
  Json event = message_event("app_mention", text, user, channel, ts);
  if (!thread_ts.empty()) event["thread_ts"] = std::string(thread_ts);
  return events_api(envelope_id, event_id, std::move(event));
}

Json direct_message(std::string_view envelope_id, std::string_view event_id, std::string_view text,
                    std::string_view user, std::string_view channel, std::string_view ts) {
  Json event = message_event("message", text, user, channel, ts);
  event["channel_type"] = "im";
  return events_api(envelope_id, event_id, std::move(event));
}

Json block_action(std::string_view envelope_id, std::string_view action_id, std::string_view value,
                  std::string_view user, std::string_view channel, std::string_view message_ts,
                  std::string_view response_url) {
  return {{"envelope_id", std::string(envelope_id)},
          {"payload",
           {{"type", "block_actions"},
            {"user", {{"id", std::string(user)}, {"username", "user-" + std::string(user)},
                      {"name", "user-" + std::string(user)}, {"team_id", "T111"}}},
            {"api_app_id", "A111"}, {"token", "verification-token"},
            {"container", {{"type", "message"}, {"message_ts", std::string(message_ts)},
                           {"channel_id", std::string(channel)}, {"is_ephemeral", false}}},
            {"trigger_id", "111.222.xxx"}, {"team", {{"id", "T111"}, {"domain", "xxx"}}},
            {"channel", {{"id", std::string(channel)}, {"name", "random"}}},
            {"message", {{"bot_id", "BBOT"}, {"type", "message"}, {"user", "UBOT"},
                         {"ts", std::string(message_ts)}, {"team", "T111"}}},
            {"response_url", std::string(response_url)},
            {"actions", Json::array({{{"action_id", std::string(action_id)}, {"block_id", "b"},
                                      {"value", std::string(value)}, {"type", "button"},
                                      {"action_ts", "1605853645.582706"}}})}}},
          {"type", "interactive"},
          {"accepts_response_payload", false}};
}

Json view_submission(std::string_view envelope_id, std::string_view callback_id, std::string_view private_metadata,
                     const Json& values, std::string_view user) {
  return {{"envelope_id", std::string(envelope_id)},
          {"payload",
           {{"type", "view_submission"},
            {"team", {{"id", "T111"}, {"domain", "xxx"}}},
            {"user", {{"id", std::string(user)}, {"username", "user-" + std::string(user)},
                      {"name", "user-" + std::string(user)}, {"team_id", "T111"}}},
            {"api_app_id", "A111"}, {"token", "verification-token"}, {"trigger_id", "111.333.xxx"},
            {"view", {{"id", "V111"}, {"team_id", "T111"}, {"type", "modal"}, {"blocks", Json::array()},
                      {"private_metadata", std::string(private_metadata)},
                      {"callback_id", std::string(callback_id)}, {"state", {{"values", values}}},
                      {"hash", "156772938.1827394"}, {"app_id", "A111"}, {"bot_id", "BBOT"}}},
            {"response_urls", Json::array()}, {"is_enterprise_install", false}}},
          {"type", "interactive"},
          {"accepts_response_payload", true}};
}

Json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return Json::parse(in);
}

}  // namespace microalign::test
