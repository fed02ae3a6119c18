// The Socket Mode link's I/O. Every decision — when a socket is usable, when to open another,
// ping, drop, back off or give up — is the SocketSession's (socket_session.hpp); this file only
// performs its actions and reports back what the sockets and the clock did.
#include "microalign/slack/socket_mode.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <array>
#include <deque>
#include <map>
#include <random>
#include <vector>

#include "microalign/core/failure.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/metrics.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/net/websocket.hpp"
#include "microalign/slack/socket_session.hpp"
#include "microalign/slack/web_api.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using std::chrono::steady_clock;

constexpr auto connect_timeout = std::chrono::seconds(10);
// How long a socket being closed waits for the acks of envelopes it delivered.
constexpr auto drain_limit = std::chrono::seconds(5);
// How long the close handshake may take after that before the connection is cut. Beast bounds
// the handshake itself; this also covers a write stuck behind a peer that stopped reading.
constexpr auto close_limit = connect_timeout;

// What the link counts for the operator, resolved once per link: on every envelope, recording is
// an atomic add.
struct LinkMetrics {
  explicit LinkMetrics(metrics::Registry& r)
      : envelopes(r.counter("microalign_slack_envelopes_total",
                            "Socket Mode envelopes received, by type (slash_commands, events_api, interactive, other).",
                            {"type"})),
        slash_commands(envelopes.with({"slash_commands"})),
        events_api(envelopes.with({"events_api"})),
        interactive(envelopes.with({"interactive"})),
        other(envelopes.with({"other"})),
        ack_latency(r.histogram("microalign_slack_ack_latency_seconds",
                                "From an envelope's arrival to its acknowledgement, in seconds (Slack allows 3).",
                                metrics::buckets::latency())
                        .with({})) {
    auto& reconnects = r.counter("microalign_slack_reconnects_total",
                                 "Socket Mode sockets opened to replace another, by why.", {"reason"});
    for (const auto reason : reconnect_reasons) {
      by_reason[static_cast<int>(reason)] = &reconnects.with({to_string(reason)});
    }
  }

  metrics::Counter& envelope(std::string_view type) {
    if (type == "slash_commands") return slash_commands;
    if (type == "events_api") return events_api;
    if (type == "interactive") return interactive;
    return other;  // a type Slack may add: not a label of its own
  }
  void reconnect(Reconnect reason) {
    if (auto* counter = by_reason[static_cast<int>(reason)]) counter->inc();
  }

  metrics::Family<metrics::Counter>& envelopes;
  metrics::Counter& slash_commands;
  metrics::Counter& events_api;
  metrics::Counter& interactive;
  metrics::Counter& other;
  metrics::Histogram& ack_latency;
  std::array<metrics::Counter*, static_cast<int>(Reconnect::open_failed) + 1> by_reason{};  // none: nullptr
};

// One websocket: a writer that owns every write (Beast allows one at a time: acks, pings and
// the close frame all queue here), and the reading, done by the slot that opened it.
class Socket {
 public:
  explicit Socket(std::unique_ptr<net::WssStream> ws)
      : ws_(std::move(ws)), wake_writer_(ws_->get_executor()), changed_(ws_->get_executor()) {}

  // Said hello, and neither closing nor gone: envelopes arrive here and acks may go here.
  bool usable() const { return ready_ && writable(); }
  bool writable() const { return !close_queued_ && !cut_ && !finished_; }
  void mark_ready() { ready_ = true; }

  void send(std::string frame) { queue({Outgoing::Kind::text, std::move(frame)}); }
  void ping() { queue({Outgoing::Kind::ping, {}}); }

  void envelope_started() { ++in_flight_; }
  void envelope_finished() {
    --in_flight_;
    changed_.notify();
  }

  // Lets in-flight envelopes acknowledge (bounded), then sends a close frame after them; cuts
  // the connection if the close does not finish in time.
  asio::awaitable<void> close() {
    const auto drained_by = steady_clock::now() + drain_limit;
    while (in_flight_ > 0 && steady_clock::now() < drained_by) {
      co_await changed_.wait(drained_by - steady_clock::now());
    }
    close_queued_ = true;
    wake_writer_.notify();
    const auto closed_by = steady_clock::now() + close_limit;
    while (!finished_ && steady_clock::now() < closed_by) {
      co_await changed_.wait(closed_by - steady_clock::now());
    }
    if (!finished_) cut();
  }

  // Ends the connection now, no close handshake: the pending read and write fail at once.
  void cut() {
    cut_ = true;
    beast::get_lowest_layer(*ws_).close();
  }

  asio::awaitable<void> write_loop() {
    for (;;) {
      while (outgoing_.empty() && !close_queued_ && !finished_) co_await wake_writer_.wait();
      if (finished_) co_return;
      if (!outgoing_.empty()) {
        auto next = std::move(outgoing_.front());
        outgoing_.pop_front();
        boost::system::error_code ec;
        if (next.kind == Outgoing::Kind::ping) {
          std::tie(ec) = co_await ws_->async_ping({}, asio::as_tuple(asio::use_awaitable));
        } else {
          std::tie(ec, std::ignore) =
              co_await ws_->async_write(asio::buffer(next.text), asio::as_tuple(asio::use_awaitable));
        }
        if (ec) {
          // The reader reports the end; cutting makes sure it sees one now.
          write_failure_ = "write failed: " + ec.message();
          cut();
          co_return;
        }
        continue;
      }
      // Nothing left to send and a close was asked for: the close frame goes last.
      auto [ec] = co_await ws_->async_close(beast::websocket::close_code::normal,
                                            asio::as_tuple(asio::use_awaitable));
      if (ec) cut();
      co_return;
    }
  }

  // Reads until the socket ends and says why it ended. Text frames go to `on_text`; anything
  // else that arrives — ping, pong, close and binary frames — is reported to `on_heard`. Each read
  // waits, on `room_changed`, until `has_room()` says the link can take another envelope.
  template <typename OnText, typename OnHeard, typename HasRoom>
  asio::awaitable<std::string> read_until_end(OnText on_text, OnHeard on_heard, HasRoom has_room,
                                              net::Signal& room_changed) {
    // The callback runs inside Beast's read: it only posts, so the stream is never acted on
    // from within its own operation.
    ws_->control_callback([executor = ws_->get_executor(), on_heard](auto, auto) { asio::post(executor, on_heard); });
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    for (;;) {
      while (!has_room()) co_await room_changed.wait();
      std::tie(ec, std::ignore) = co_await ws_->async_read(buffer, asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      if (ws_->got_text()) {
        on_text(beast::buffers_to_string(buffer.data()));
      } else {
        on_heard();
      }
      buffer.consume(buffer.size());
    }
    ws_->control_callback();
    finished_ = true;
    wake_writer_.notify();
    changed_.notify();
    if (!write_failure_.empty()) co_return write_failure_;
    if (ec == beast::websocket::error::closed) co_return "closed by Slack";
    co_return ec.message();
  }

 private:
  struct Outgoing {
    enum class Kind { text, ping } kind;
    std::string text;
  };

  void queue(Outgoing item) {
    if (!writable()) return;
    outgoing_.push_back(std::move(item));
    wake_writer_.notify();
  }

  std::unique_ptr<net::WssStream> ws_;
  net::Signal wake_writer_;
  net::Signal changed_;  // an envelope finished, or the reading ended
  std::deque<Outgoing> outgoing_;
  std::string write_failure_;
  int in_flight_ = 0;
  bool ready_ = false;
  bool close_queued_ = false;
  bool cut_ = false;
  bool finished_ = false;
};

class SocketAck : public Ack {
 public:
  using Fallback = std::function<std::shared_ptr<Socket>()>;

  SocketAck(std::weak_ptr<Socket> socket, Fallback fallback, std::string id, metrics::Histogram& latency)
      : socket_(std::move(socket)),
        fallback_(std::move(fallback)),
        envelope_id_(std::move(id)),
        latency_(latency),
        received_(steady_clock::now()) {}

  void send() override { deliver(ack_frame(envelope_id_)); }
  void send(const nlohmann::json& payload) override { deliver(ack_frame(envelope_id_, payload)); }
  bool sent() const override { return sent_; }

 private:
  // The ack goes back on the socket that delivered the envelope; if that one can no longer
  // send, on any usable socket (Slack's Python SDK does the same) rather than not at all.
  void deliver(std::string frame) {
    if (sent_) return;
    sent_ = true;
    auto socket = socket_.lock();
    if (!socket || !socket->writable()) socket = fallback_();
    if (!socket) {
      log::warn("slack.socket",
                "no open socket to acknowledge envelope " + envelope_id_ + " on; Slack will redeliver it");
      return;
    }
    socket->send(std::move(frame));
    latency_.observe(steady_clock::now() - received_);
  }

  std::weak_ptr<Socket> socket_;
  Fallback fallback_;
  std::string envelope_id_;
  metrics::Histogram& latency_;
  steady_clock::time_point received_;
  bool sent_ = false;
};

class Link;

// Ends every coroutine the link starts, instead of `detached`: one that throws is logged with its
// cause and handed to `then` (so the session hears of it and replaces the socket with backoff),
// never gone without a word while the bot answers as if all were well.
template <typename Then>
auto on_failure(std::string what, Then then) {
  return [what = std::move(what), then = std::move(then)](std::exception_ptr failure) mutable {
    if (!failure) return;
    const auto why = what_failed(failure);
    log::error("slack.socket", what + " stopped on an error: " + why);
    then("internal error: " + why);
  };
}

// One of the link's `connections` slots: its SocketSession, the sockets it opened, and the
// clock that wakes the session at its deadlines.
class Slot {
 public:
  Slot(Link& link, int number);

  // The one door into the session: reports the event, then performs actions until it waits.
  void feed(session::Event);
  // Runs until the session has finished.
  asio::awaitable<void> run();

  std::shared_ptr<Socket> usable_socket() const;
  int usable_sockets() const;

 private:
  void perform(session::Action&);
  asio::awaitable<void> open(SocketId);
  asio::awaitable<void> read(SocketId, std::shared_ptr<Socket>);
  std::string name(SocketId id) const { return "slot " + std::to_string(number_) + " socket " + std::to_string(id); }

  Link& link_;
  int number_;
  SocketSession session_;
  std::map<SocketId, std::shared_ptr<Socket>> sockets_;  // connected, not yet ended
  net::Signal wake_;
  std::optional<SessionTime> deadline_;
};

class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(asio::any_io_executor ex, asio::ssl::context& tls, WebApi& api, const SlackConfig& config,
       EnvelopeHandler handler)
      : executor(std::move(ex)),
        tls(tls),
        api(api),
        config(config),
        handler(std::move(handler)),
        changed(executor),
        random(std::random_device{}()),
        counts(metrics::default_registry()) {
    for (int i = 1; i <= config.connections; ++i) slots.push_back(std::make_unique<Slot>(*this, i));
  }

  asio::awaitable<std::string> run() {
    auto self = shared_from_this();
    for (auto& slot : slots) {
      ++running_slots;
      asio::co_spawn(
          executor, [self, slot = slot.get()]() -> asio::awaitable<void> { co_await slot->run(); },
          // A slot whose session broke cannot be trusted to keep its sockets: the link stops
          // with the error, and the process exits non-zero for its supervisor to start again.
          [self](std::exception_ptr failure) {
            on_failure("a Socket Mode slot", [&](std::string why) { self->fail(std::move(why)); })(failure);
            --self->running_slots;
            self->changed.notify();
          });
    }
    while (running_slots > 0 || in_flight > 0) co_await changed.wait();
    co_return fatal;
  }

  void stop() {
    if (stopping) return;
    stopping = true;
    changed.notify();  // a socket waiting for room reads again, to its end
    // Posted, not fed here: stop() may come from a slot that is in the middle of feeding.
    asio::post(executor, [self = shared_from_this()] {
      for (auto& slot : self->slots) slot->feed(session::Stop{});
    });
  }

  void fail(std::string why) {
    if (fatal.empty()) fatal = std::move(why);
    stop();
  }

  int ready_sockets() const {
    int n = 0;
    for (const auto& slot : slots) n += slot->usable_sockets();
    return n;
  }

  std::shared_ptr<Socket> any_usable_socket() const {
    for (const auto& slot : slots) {
      if (auto socket = slot->usable_socket()) return socket;
    }
    return nullptr;
  }

  // Fewer than max_envelopes_in_flight envelopes are being handled (or the link is stopping: then the
  // sockets are read to their end). `changed` is notified as each one finishes.
  bool has_room() const { return in_flight < max_envelopes_in_flight || stopping; }

  void dispatch(const std::shared_ptr<Socket>& socket, Envelope envelope) {
    counts.envelope(envelope.type).inc();
    socket->envelope_started();
    ++in_flight;
    auto fallback = [weak = weak_from_this()]() -> std::shared_ptr<Socket> {
      auto self = weak.lock();
      return self ? self->any_usable_socket() : nullptr;
    };
    auto ack = std::make_shared<SocketAck>(socket, std::move(fallback), envelope.envelope_id, counts.ack_latency);
    auto id = envelope.envelope_id;
    asio::co_spawn(
        executor,
        [self = shared_from_this(), ack, envelope = std::move(envelope)]() mutable -> asio::awaitable<void> {
          co_await self->handler(std::move(envelope), ack);
          if (!ack->sent()) ack->send();
        },
        // A handler that throws leaves its envelope unacknowledged on purpose: Slack delivers it
        // again, and the next attempt may succeed.
        [self = shared_from_this(), socket, id = std::move(id)](std::exception_ptr failure) {
          on_failure("envelope " + id, [](std::string) {})(failure);
          socket->envelope_finished();
          --self->in_flight;
          self->changed.notify();
        });
  }

  asio::any_io_executor executor;
  asio::ssl::context& tls;
  WebApi& api;
  const SlackConfig& config;
  EnvelopeHandler handler;
  net::Signal changed;     // a slot finished, an envelope finished
  std::mt19937_64 random;  // the backoff's jitter, shared by the slots
  LinkMetrics counts;
  std::vector<std::unique_ptr<Slot>> slots;
  int running_slots = 0;
  int in_flight = 0;
  bool stopping = false;
  std::string fatal;
};

Slot::Slot(Link& link, int number)
    : link_(link),
      number_(number),
      session_(session_settings(link.config),
               [&random = link.random] { return std::uniform_real_distribution<double>(0.0, 1.0)(random); }),
      wake_(link.executor) {}

void Slot::feed(session::Event event) {
  auto action = session_.resume(std::move(event), steady_clock::now());
  while (!std::holds_alternative<session::Wait>(action)) {
    perform(action);
    action = session_.resume(session::Tick{}, steady_clock::now());
  }
  deadline_ = std::get<session::Wait>(action).until;
  wake_.notify();
}

asio::awaitable<void> Slot::run() {
  feed(session::Tick{});  // a new session opens its first socket
  while (!session_.finished()) {
    const auto now = steady_clock::now();
    if (!deadline_) {
      co_await wake_.wait();
    } else if (now < *deadline_) {
      co_await wake_.wait(*deadline_ - now);
    } else {
      feed(session::Tick{});
    }
  }
  log::debug("slack.socket", "slot " + std::to_string(number_) + " stopped");
}

void Slot::perform(session::Action& action) {
  std::visit(
      [this](auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, session::Open>) {
          link_.counts.reconnect(a.reason);
          asio::co_spawn(link_.executor, open(a.socket),
                         on_failure("opening " + name(a.socket),
                                    [this, id = a.socket, link = link_.shared_from_this()](std::string why) {
                                      feed(session::OpenFailed{id, std::move(why), {}, std::nullopt});
                                    }));
        } else if constexpr (std::is_same_v<T, session::Ready>) {
          sockets_.at(a.socket)->mark_ready();
          log::info("slack.socket",
                    name(a.socket) + " connected (" + std::to_string(a.num_connections) + " open for this app)");
        } else if constexpr (std::is_same_v<T, session::Dispatch>) {
          link_.dispatch(sockets_.at(a.socket), std::move(a.envelope));
        } else if constexpr (std::is_same_v<T, session::Ping>) {
          log::debug("slack.socket", name(a.socket) + " quiet; pinging");
          sockets_.at(a.socket)->ping();
        } else if constexpr (std::is_same_v<T, session::Close>) {
          log::info("slack.socket", name(a.socket) + " closing: " + a.why);
          asio::co_spawn(
              link_.executor, [socket = sockets_.at(a.socket)]() -> asio::awaitable<void> { co_await socket->close(); },
              on_failure("closing " + name(a.socket),
                         [socket = sockets_.at(a.socket)](std::string) { socket->cut(); }));
        } else if constexpr (std::is_same_v<T, session::Drop>) {
          log::warn("slack.socket", name(a.socket) + " dropped: " + a.why);
          sockets_.at(a.socket)->cut();
        } else if constexpr (std::is_same_v<T, session::Fail>) {
          link_.fail(a.reason);
        } else if constexpr (std::is_same_v<T, session::Note>) {
          log::write(a.level, "slack.socket", name(a.socket) + ": " + a.text);
        }
      },
      action);
}

asio::awaitable<void> Slot::open(SocketId id) {
  auto keep_alive = link_.shared_from_this();
  // A fresh URL for every connection: each carries a one-time ticket.
  auto reply = co_await link_.api.call("apps.connections.open", nlohmann::json::object(), TokenKind::app);
  if (!reply.ok) {
    feed(session::OpenFailed{id, "apps.connections.open failed: " + reply.error, reply.error, reply.retry_after});
    co_return;
  }
  auto url = net::Url::parse(json_string_member(reply.body, "url"));
  if (!url || url->scheme != "wss") {
    feed(session::OpenFailed{id, "apps.connections.open returned no wss:// URL", {}, std::nullopt});
    co_return;
  }
  // No idle timeout on the stream: the session decides when a quiet socket is pinged and when
  // it is dead, with the one clock its tests control. Beast's keep-alive would be a second
  // clock deciding the same thing, and without its pings Beast counts from the start of a read,
  // so it would cut a healthy socket that only ever hears pings and pongs.
  auto connected = co_await net::connect_wss(link_.executor, link_.tls, *url, connect_timeout, std::nullopt);
  if (!connected) {
    feed(session::OpenFailed{id, "websocket connect failed: " + connected.error().reason, {}, std::nullopt});
    co_return;
  }
  auto socket = std::make_shared<Socket>(std::move(*connected));
  sockets_[id] = socket;
  // A writer that broke cuts its socket, so the reader ends and the session replaces it; a reader
  // that broke ends the socket the way a closed one does.
  asio::co_spawn(
      link_.executor, [socket]() -> asio::awaitable<void> { co_await socket->write_loop(); },
      on_failure("writing to " + name(id), [socket](std::string) { socket->cut(); }));
  asio::co_spawn(
      link_.executor, read(id, socket),
      on_failure("reading " + name(id), [this, id, socket, link = link_.shared_from_this()](std::string why) {
        socket->cut();
        sockets_.erase(id);
        feed(session::Ended{id, std::move(why)});
      }));
  feed(session::Connected{id});
}

asio::awaitable<void> Slot::read(SocketId id, std::shared_ptr<Socket> socket) {
  // Named, not temporaries in the co_await: GCC 12 destroys a capturing lambda written inside a
  // co_await expression twice (here that released the link twice).
  auto on_text = [this, id](std::string text) { feed(session::Received{id, read_frame(text)}); };
  // Runs posted, possibly after the socket ended: it keeps the link alive itself.
  auto on_heard = [this, link = link_.shared_from_this(), id] { feed(session::Heard{id}); };
  auto has_room = [this] { return link_.has_room(); };
  auto why = co_await socket->read_until_end(on_text, on_heard, has_room, link_.changed);
  sockets_.erase(id);
  feed(session::Ended{id, std::move(why)});
}

std::shared_ptr<Socket> Slot::usable_socket() const {
  for (const auto& [id, socket] : sockets_) {
    if (socket->usable()) return socket;
  }
  return nullptr;
}

int Slot::usable_sockets() const {
  int n = 0;
  for (const auto& [id, socket] : sockets_) n += socket->usable() ? 1 : 0;
  return n;
}

}  // namespace

struct SocketModeLink::Impl : Link {
  using Link::Link;
};

SocketModeLink::SocketModeLink(asio::any_io_executor executor, asio::ssl::context& tls, WebApi& api,
                               const SlackConfig& config, EnvelopeHandler handler)
    : impl_(std::make_shared<Impl>(std::move(executor), tls, api, config, std::move(handler))) {}

SocketModeLink::~SocketModeLink() = default;

asio::awaitable<std::string> SocketModeLink::run() {
  auto impl = impl_;  // alive until run() returns, whatever happens to this object
  co_return co_await impl->run();
}

void SocketModeLink::stop() { impl_->stop(); }

int SocketModeLink::ready_sockets() const { return impl_->ready_sockets(); }

}  // namespace microalign::slack
