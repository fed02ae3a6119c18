#include "microalign/slack/socket_mode.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <deque>
#include <optional>
#include <random>
#include <set>
#include <variant>

#include "microalign/core/log.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/net/websocket.hpp"
#include "microalign/slack/reconnect_policy.hpp"
#include "microalign/slack/web_api.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using std::chrono::steady_clock;

constexpr auto connect_timeout = std::chrono::seconds(10);
constexpr int max_sockets_per_app = 10;
// How long a socket being replaced waits for the acks of envelopes it delivered.
constexpr auto drain_limit = std::chrono::seconds(5);

// Why a socket stopped being the one its slot relies on.
struct SocketEnd {
  enum class Kind { disconnect_requested, died } kind;
  std::optional<Disconnect> disconnect;  // set for disconnect_requested
  std::string detail;
};

struct OpenFailure {
  std::string reason;
  std::optional<std::chrono::seconds> retry_after;
  bool fatal = false;
};

// One websocket: a reader that dispatches envelopes and a writer that owns every write (Beast
// allows one write in flight; acks, pongs' neighbours and the close frame all queue here).
class Socket : public std::enable_shared_from_this<Socket> {
 public:
  // `owner_changed` is the link's signal: the slot waiting on this socket also waits for stop().
  Socket(std::unique_ptr<net::WssStream> ws, int id, net::Signal& owner_changed)
      : ws_(std::move(ws)),
        id_(id),
        wake_writer_(ws_->get_executor()),
        changed_(ws_->get_executor()),
        owner_changed_(owner_changed) {}

  int id() const { return id_; }
  bool closing() const { return closing_; }
  bool finished() const { return finished_; }

  void send(std::string frame) {
    if (closing_write_queued_ || finished_) return;
    outgoing_.push_back(std::move(frame));
    wake_writer_.notify();
  }

  // The first reason wins: a disconnect request followed by the close it announces is one end.
  void end(SocketEnd e) {
    if (!end_) end_ = std::move(e);
    owner_changed_.notify();
  }
  const std::optional<SocketEnd>& ended() const { return end_; }

  void envelope_started() { ++in_flight_; }
  void envelope_finished() {
    --in_flight_;
    changed_.notify();
  }

  // Lets in-flight envelopes acknowledge (bounded), then sends a close frame after them.
  asio::awaitable<void> close() {
    if (closing_) co_return;
    closing_ = true;
    const auto give_up = steady_clock::now() + drain_limit;
    while (in_flight_ > 0 && steady_clock::now() < give_up) {
      co_await changed_.wait(give_up - steady_clock::now());
    }
    closing_write_queued_ = true;
    wake_writer_.notify();
    while (!finished_) co_await changed_.wait();
  }

  asio::awaitable<void> write_loop() {
    for (;;) {
      while (outgoing_.empty() && !closing_write_queued_ && !finished_) co_await wake_writer_.wait();
      if (finished_) co_return;
      if (!outgoing_.empty()) {
        auto frame = std::move(outgoing_.front());
        outgoing_.pop_front();
        auto [ec, n] = co_await ws_->async_write(asio::buffer(frame), asio::as_tuple(asio::use_awaitable));
        if (ec) {
          end({SocketEnd::Kind::died, std::nullopt, "write failed: " + ec.message()});
          co_return;
        }
        continue;
      }
      // Nothing left to send and a close was asked for: the close frame goes last.
      auto [ec] = co_await ws_->async_close(beast::websocket::close_code::normal,
                                            asio::as_tuple(asio::use_awaitable));
      if (ec) beast::get_lowest_layer(*ws_).close();
      co_return;
    }
  }

  // Reads until the socket ends; `on_frame` runs for every text frame.
  template <typename OnFrame>
  asio::awaitable<void> read_loop(OnFrame on_frame) {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await ws_->async_read(buffer, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        const bool clean = ec == beast::websocket::error::closed;
        end({SocketEnd::Kind::died, std::nullopt,
             clean ? "closed by Slack" : (ec == beast::error::timeout ? "no frames or pongs (dead link)" : ec.message())});
        break;
      }
      if (ws_->got_text()) on_frame(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
    }
    finished_ = true;
    wake_writer_.notify();
    changed_.notify();
  }

  net::WssStream& stream() { return *ws_; }

 private:
  std::unique_ptr<net::WssStream> ws_;
  int id_;
  net::Signal wake_writer_;
  net::Signal changed_;
  std::deque<std::string> outgoing_;
  net::Signal& owner_changed_;
  std::optional<SocketEnd> end_;
  int in_flight_ = 0;
  bool closing_ = false;
  bool closing_write_queued_ = false;
  bool finished_ = false;
};

}  // namespace

struct SocketModeLink::Impl : std::enable_shared_from_this<SocketModeLink::Impl> {
  Impl(asio::any_io_executor ex, asio::ssl::context& tls, WebApi& api, const SlackConfig& config,
       EnvelopeHandler handler)
      : executor(std::move(ex)),
        tls(tls),
        api(api),
        config(config),
        handler(std::move(handler)),
        changed(executor),
        random(std::random_device{}()) {}

  asio::any_io_executor executor;
  asio::ssl::context& tls;
  WebApi& api;
  const SlackConfig& config;
  EnvelopeHandler handler;
  net::Signal changed;  // stop requested, a slot finished, an envelope finished
  std::mt19937_64 random;
  std::set<std::shared_ptr<Socket>> sockets;
  int next_socket_id = 1;
  int running_slots = 0;
  int in_flight = 0;
  bool stopping = false;
  std::string fatal;

  void fail(std::string why) {
    if (fatal.empty()) fatal = std::move(why);
    stop();
  }

  void stop() {
    stopping = true;
    changed.notify();
  }

  std::shared_ptr<Socket> any_open_socket() const {
    for (const auto& s : sockets) {
      if (!s->closing() && !s->finished()) return s;
    }
    return nullptr;
  }

  asio::awaitable<void> sleep(std::chrono::milliseconds d) {
    const auto until = steady_clock::now() + d;
    while (!stopping && steady_clock::now() < until) co_await changed.wait(until - steady_clock::now());
  }

  asio::awaitable<std::variant<std::shared_ptr<Socket>, OpenFailure>> open_socket();
  void serve(const std::shared_ptr<Socket>&);
  void dispatch(const std::shared_ptr<Socket>&, Envelope);
  asio::awaitable<void> slot(int index);
  asio::awaitable<void> retire(std::shared_ptr<Socket>);
};

namespace {

class SocketAck : public Ack {
 public:
  using Fallback = std::function<std::shared_ptr<Socket>()>;

  SocketAck(std::weak_ptr<Socket> socket, Fallback fallback, std::string id)
      : socket_(std::move(socket)), fallback_(std::move(fallback)), envelope_id_(std::move(id)) {}

  void send() override { deliver(ack_frame(envelope_id_)); }
  void send(const nlohmann::json& payload) override { deliver(ack_frame(envelope_id_, payload)); }
  bool sent() const override { return sent_; }

 private:
  // The ack goes back on the socket that delivered the envelope; if that one is already gone,
  // on any open socket (Slack's Python SDK does the same) rather than not at all.
  void deliver(std::string frame);

  std::weak_ptr<Socket> socket_;
  Fallback fallback_;
  std::string envelope_id_;
  bool sent_ = false;
};

}  // namespace

void SocketAck::deliver(std::string frame) {
  if (sent_) return;
  sent_ = true;
  auto socket = socket_.lock();
  if (!socket || socket->finished()) socket = fallback_();
  if (!socket) {
    log::warn("slack.socket", "no open socket to acknowledge envelope " + envelope_id_ + " on; Slack will redeliver it");
    return;
  }
  socket->send(std::move(frame));
}

asio::awaitable<std::variant<std::shared_ptr<Socket>, OpenFailure>>
SocketModeLink::Impl::open_socket() {
  // A fresh URL for every connection: each carries a one-time ticket.
  auto reply = co_await api.call("apps.connections.open", nlohmann::json::object(), TokenKind::app);
  if (!reply.ok) {
    if (is_fatal_auth_error(reply.error)) {
      co_return OpenFailure{"SLACK_APP_TOKEN was rejected by Slack (" + reply.error +
                                "): check the app-level token and its connections:write scope",
                            std::nullopt, true};
    }
    co_return OpenFailure{"apps.connections.open failed: " + reply.error, reply.retry_after, false};
  }
  auto url = net::Url::parse(reply.body.value("url", std::string{}));
  if (!url || url->scheme != "wss") {
    co_return OpenFailure{"apps.connections.open returned no wss:// URL", std::nullopt, false};
  }
  auto connected = co_await net::connect_wss(executor, tls, *url, connect_timeout, config.dead_link_after);
  if (!connected) {
    co_return OpenFailure{"websocket connect failed: " + connected.error().reason, std::nullopt, false};
  }
  auto socket = std::make_shared<Socket>(std::move(*connected), next_socket_id++, changed);

  // Usable only after hello. The stream's idle timeout bounds this wait.
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await socket->stream().async_read(buffer, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return OpenFailure{"no hello from Slack: " + ec.message(), std::nullopt, false};
    auto frame = read_frame(beast::buffers_to_string(buffer.data()));
    buffer.consume(buffer.size());
    if (auto* hello = std::get_if<Hello>(&frame)) {
      log::info("slack.socket", "socket #" + std::to_string(socket->id()) + " connected (" +
                                    std::to_string(hello->num_connections) + " open for this app)");
      break;
    }
    if (auto* d = std::get_if<Disconnect>(&frame)) {
      co_return OpenFailure{"Slack refused the socket before hello (" + d->reason + ")", std::nullopt,
                            action_for(*d) == DisconnectAction::stop};
    }
    log::debug("slack.socket", "frame before hello ignored");
  }
  co_return socket;
}

void SocketModeLink::Impl::dispatch(const std::shared_ptr<Socket>& socket, Envelope envelope) {
  socket->envelope_started();
  ++in_flight;
  auto fallback = [weak = weak_from_this()]() -> std::shared_ptr<Socket> {
    auto self = weak.lock();
    return self ? self->any_open_socket() : nullptr;
  };
  auto ack = std::make_shared<SocketAck>(socket, std::move(fallback), envelope.envelope_id);
  asio::co_spawn(
      executor,
      [self = shared_from_this(), socket, ack, envelope = std::move(envelope)]() mutable
      -> asio::awaitable<void> {
        const auto id = envelope.envelope_id;
        try {
          co_await self->handler(std::move(envelope), ack);
          if (!ack->sent()) ack->send();
        } catch (const std::exception& e) {
          // Not acknowledged on purpose: Slack redelivers, and the next attempt may succeed.
          log::error("slack.socket", "envelope " + id + " failed: " + e.what());
        }
        socket->envelope_finished();
        --self->in_flight;
        self->changed.notify();
      },
      asio::detached);
}

void SocketModeLink::Impl::serve(const std::shared_ptr<Socket>& socket) {
  sockets.insert(socket);
  auto self = shared_from_this();
  asio::co_spawn(executor, socket->write_loop(), asio::detached);
  auto on_frame = [self, weak = std::weak_ptr<Socket>(socket)](std::string text) {
    auto socket = weak.lock();
    if (!socket) return;
    auto frame = read_frame(text);
    if (auto* envelope = std::get_if<Envelope>(&frame)) {
      if (self->stopping) {
        // Refused, not half-done: without an ack Slack delivers it again after we restart.
        log::info("slack.socket", "shutting down; left envelope " + envelope->envelope_id + " for redelivery");
        return;
      }
      self->dispatch(socket, std::move(*envelope));
    } else if (auto* d = std::get_if<Disconnect>(&frame)) {
      log::info("slack.socket", "socket #" + std::to_string(socket->id()) + ": Slack asks to disconnect (" + d->reason + ")");
      socket->end({SocketEnd::Kind::disconnect_requested, *d, d->reason});
    } else if (auto* bad = std::get_if<MalformedFrame>(&frame)) {
      log::warn("slack.socket", "ignored a malformed frame (" + bad->reason + ", " +
                                    std::to_string(text.size()) + " bytes)");
    } else if (auto* other = std::get_if<OtherFrame>(&frame)) {
      log::debug("slack.socket", "ignored a frame of type '" + other->type + "'");
    }
  };
  asio::co_spawn(
      executor,
      [self, socket, on_frame]() -> asio::awaitable<void> {
        co_await socket->read_loop(on_frame);
        self->sockets.erase(socket);
        self->changed.notify();
      },
      asio::detached);
}

asio::awaitable<void> SocketModeLink::Impl::retire(std::shared_ptr<Socket> socket) {
  co_await socket->close();
  log::debug("slack.socket", "socket #" + std::to_string(socket->id()) + " closed");
}

asio::awaitable<void> SocketModeLink::Impl::slot(int index) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Backoff backoff(std::chrono::seconds(1), config.backoff_cap, [this, unit]() mutable { return unit(random); });
  std::shared_ptr<Socket> current;

  while (!stopping) {
    auto opened = co_await open_socket();
    if (auto* failure = std::get_if<OpenFailure>(&opened)) {
      if (failure->fatal) {
        fail(failure->reason);
        break;
      }
      auto wait = backoff.next(failure->retry_after);
      log::warn("slack.socket", failure->reason + "; retrying in " +
                                    std::to_string(wait.count()) + " ms");
      co_await sleep(wait);
      continue;
    }
    auto fresh = std::get<std::shared_ptr<Socket>>(std::move(opened));
    backoff.reset();
    serve(fresh);  // even when stopping meanwhile: its reader and writer are what close it
    // Make before break: the socket being replaced closes only now that its successor is ready.
    if (current) asio::co_spawn(executor, retire(current), asio::detached);
    current = fresh;

    while (!stopping && !current->ended()) co_await changed.wait();
    if (stopping) break;
    const auto end = *current->ended();
    if (end.kind == SocketEnd::Kind::died) {
      if (!stopping) log::warn("slack.socket", "socket #" + std::to_string(current->id()) + " lost: " + end.detail);
      current.reset();
      co_await sleep(backoff.next());
      continue;
    }
    auto action = action_for(*end.disconnect);
    // Slack allows 10 sockets per app: with all 10 in use a replacement cannot come first.
    if (action == DisconnectAction::replace_then_close && config.connections >= max_sockets_per_app) {
      action = DisconnectAction::close_then_replace;
    }
    switch (action) {
      case DisconnectAction::replace_then_close:
        break;  // the loop opens the replacement; `current` keeps serving until then
      case DisconnectAction::close_then_replace:
        co_await current->close();
        current.reset();
        co_await sleep(backoff.next());
        break;
      case DisconnectAction::stop:
        fail("Slack disabled Socket Mode for this app (link_disabled): turn it on under "
             "Settings → Socket Mode, then start microalign again");
        break;
    }
  }
  if (current) co_await current->close();
  log::debug("slack.socket", "slot " + std::to_string(index) + " stopped");
  --running_slots;
  changed.notify();
}

SocketModeLink::SocketModeLink(asio::any_io_executor executor, asio::ssl::context& tls, WebApi& api,
                               const SlackConfig& config, EnvelopeHandler handler)
    : impl_(std::make_shared<Impl>(std::move(executor), tls, api, config, std::move(handler))) {}

SocketModeLink::~SocketModeLink() = default;

asio::awaitable<std::string> SocketModeLink::run() {
  auto impl = impl_;
  for (int i = 0; i < impl->config.connections; ++i) {
    ++impl->running_slots;
    asio::co_spawn(impl->executor, impl->slot(i), asio::detached);
  }
  while (impl->running_slots > 0 || impl->in_flight > 0) co_await impl->changed.wait();
  // Sockets being replaced close on their own, within their drain bound; wait for them too.
  const auto give_up = steady_clock::now() + 2 * drain_limit;
  while (!impl->sockets.empty() && steady_clock::now() < give_up) {
    co_await impl->changed.wait(give_up - steady_clock::now());
  }
  co_return impl->fatal;
}

void SocketModeLink::stop() { impl_->stop(); }

int SocketModeLink::ready_sockets() const {
  int n = 0;
  for (const auto& s : impl_->sockets) n += (!s->closing() && !s->finished()) ? 1 : 0;
  return n;
}

}  // namespace microalign::slack
