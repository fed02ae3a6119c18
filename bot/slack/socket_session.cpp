#include "microalign/slack/socket_session.hpp"

#include <algorithm>
#include <utility>

namespace microalign::slack {
namespace {

using namespace session;

// "each Slack app ID is allowed a maximum of 10 concurrent websocket (socket-mode) connections"
constexpr int max_sockets_per_app = 10;

std::string text_of(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

}  // namespace

std::string_view to_string(Reconnect reason) {
  switch (reason) {
    case Reconnect::none:
      return "none";
    case Reconnect::refresh_requested:
      return "refresh_requested";
    case Reconnect::warning:
      return "warning";
    case Reconnect::too_many_websockets:
      return "too_many_websockets";
    case Reconnect::disconnect:
      return "disconnect";
    case Reconnect::died:
      return "died";
    case Reconnect::dead_link:
      return "dead_link";
    case Reconnect::no_hello:
      return "no_hello";
    case Reconnect::open_failed:
      return "open_failed";
  }
  return "none";
}

SessionSettings session_settings(const SlackConfig& config) {
  SessionSettings settings;
  settings.dead_link_after = config.dead_link_after;
  settings.backoff_cap = config.backoff_cap;
  settings.make_before_break = config.connections < max_sockets_per_app;
  return settings;
}

SocketSession::SocketSession(SessionSettings settings, Backoff::Uniform uniform)
    : settings_(settings), backoff_(settings.backoff_base, settings.backoff_cap, std::move(uniform)) {}

Action SocketSession::resume(Event event, SessionTime now) {
  auto action = std::visit([&](auto& e) { return on(e, now); }, event);
  if (action) return std::move(*action);
  return next(now);
}

// ---- Events

std::optional<Action> SocketSession::on(const Tick&, SessionTime) { return std::nullopt; }

std::optional<Action> SocketSession::on(const Stop&, SessionTime) {
  stopping_ = true;
  return std::nullopt;
}

std::optional<Action> SocketSession::on(const OpenFailed& e, SessionTime now) {
  auto it = sockets_.find(e.socket);
  if (it == sockets_.end() || it->second.phase != SocketState::Phase::opening) return std::nullopt;
  sockets_.erase(it);
  if (successor_ == e.socket) successor_.reset();
  if (stopping_) return std::nullopt;
  if (is_fatal_auth_error(e.slack_error)) {
    return give_up("SLACK_APP_TOKEN was rejected by Slack (" + e.slack_error +
                   "): check the app-level token and its connections:write scope");
  }
  reopen_reason_ = Reconnect::open_failed;
  return retry_later(e.socket, e.reason, now, e.retry_after);
}

std::optional<Action> SocketSession::on(const Connected& e, SessionTime now) {
  auto it = sockets_.find(e.socket);
  if (it == sockets_.end() || it->second.phase != SocketState::Phase::opening) return std::nullopt;
  it->second.phase = SocketState::Phase::awaiting_hello;
  it->second.connected_at = now;
  return std::nullopt;  // when stopping, next() closes it
}

std::optional<Action> SocketSession::on(Received& e, SessionTime now) {
  auto it = sockets_.find(e.socket);
  if (it == sockets_.end()) return std::nullopt;
  auto& socket = it->second;
  switch (socket.phase) {
    case SocketState::Phase::opening:
      return std::nullopt;  // not connected yet: cannot happen
    case SocketState::Phase::awaiting_hello:
      return on_awaiting_hello(e.socket, socket, e.frame, now);
    case SocketState::Phase::serving:
      socket.last_heard = now;
      socket.pinged = false;
      return on_serving(e.socket, socket, e.frame);
    case SocketState::Phase::closing:
      // Slack may still deliver on a socket being closed, until our close frame: not lost.
      if (auto* envelope = std::get_if<Envelope>(&e.frame)) return deliver(e.socket, *envelope);
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Action> SocketSession::on_awaiting_hello(SocketId id, SocketState& socket, Frame& frame,
                                                       SessionTime now) {
  if (auto* hello = std::get_if<Hello>(&frame)) {
    if (stopping_) return std::nullopt;  // next() closes it
    socket.phase = SocketState::Phase::serving;
    socket.last_heard = now;
    backoff_.reset();
    // The socket it replaces, if any, is no longer current: next() closes it.
    current_ = id;
    successor_.reset();
    return Ready{id, hello->num_connections};
  }
  if (auto* d = std::get_if<Disconnect>(&frame)) {
    successor_.reset();
    if (action_for(*d) == DisconnectAction::stop) return give_up_link_disabled();
    socket.phase = SocketState::Phase::closing;
    reopen_reason_ = reason_of(*d);
    const auto note = retry_later(id, "Slack refused the socket before hello (" + d->reason + ")", now);
    return Close{id, note.text};
  }
  // Usable only after hello: anything earlier, envelopes included, is not for us yet (an
  // envelope left unacknowledged is delivered again).
  return Note{id, log::Level::debug, "frame before hello ignored"};
}

std::optional<Action> SocketSession::on_serving(SocketId id, SocketState& socket, Frame& frame) {
  return std::visit(
      [&](auto& f) -> std::optional<Action> {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, Envelope>) {
          return deliver(id, f);
        } else if constexpr (std::is_same_v<T, Disconnect>) {
          return on_disconnect(id, socket, f);
        } else if constexpr (std::is_same_v<T, Hello>) {
          return Note{id, log::Level::debug, "a second hello ignored"};
        } else if constexpr (std::is_same_v<T, OtherFrame>) {
          return Note{id, log::Level::debug, "ignored a frame of type '" + f.type + "'"};
        } else {
          return Note{id, log::Level::warn, "ignored a malformed frame (" + f.reason + ")"};
        }
      },
      frame);
}

std::optional<Action> SocketSession::on_disconnect(SocketId id, SocketState& socket, const Disconnect& d) {
  if (id != current_) return std::nullopt;  // already replaced, and about to be closed
  auto action = action_for(d);
  if (action == DisconnectAction::replace_then_close && !settings_.make_before_break) {
    action = DisconnectAction::close_then_replace;
  }
  if (action != DisconnectAction::stop && !socket.leaving) reopen_reason_ = reason_of(d);
  switch (action) {
    case DisconnectAction::stop:
      return give_up_link_disabled();
    case DisconnectAction::replace_then_close:
      if (socket.leaving) {
        return Note{id, log::Level::debug, "Slack asks again to disconnect (" + d.reason + ")"};
      }
      socket.leaving = true;  // next() opens the successor; this one serves until its hello
      return Note{id, log::Level::info, "Slack asks to disconnect (" + d.reason + "); opening the replacement first"};
    case DisconnectAction::close_then_replace:
      current_.reset();
      socket.phase = SocketState::Phase::closing;
      // A successor already on its way (an earlier refresh) is the replacement.
      socket.reopen_when_ended = !successor_;
      return Close{id, "Slack asks to disconnect (" + d.reason + "); reconnecting once closed"};
  }
  return std::nullopt;
}

std::optional<Action> SocketSession::on(const Heard& e, SessionTime now) {
  auto it = sockets_.find(e.socket);
  if (it != sockets_.end() && it->second.phase == SocketState::Phase::serving) {
    it->second.last_heard = now;
    it->second.pinged = false;
  }
  return std::nullopt;
}

std::optional<Action> SocketSession::on(const Ended& e, SessionTime now) {
  auto it = sockets_.find(e.socket);
  if (it == sockets_.end()) return std::nullopt;
  const SocketState socket = it->second;
  sockets_.erase(it);
  if (successor_ == e.socket) successor_.reset();
  const bool was_current = current_ == e.socket;
  if (was_current) current_.reset();
  if (stopping_) return std::nullopt;

  switch (socket.phase) {
    case SocketState::Phase::opening:
      return std::nullopt;  // not connected yet: cannot happen
    case SocketState::Phase::closing:
      // Closed as asked. After too_many_websockets the next socket waits a backoff too: coming
      // straight back would only meet the same limit.
      if (socket.reopen_when_ended) retry_at_ = now + backoff_.next();
      return std::nullopt;
    case SocketState::Phase::awaiting_hello:
      reopen_reason_ = Reconnect::no_hello;
      return retry_later(e.socket, "no hello from Slack: " + e.reason, now);
    case SocketState::Phase::serving:
      if (!was_current) return std::nullopt;  // replaced; its close was under way
      if (successor_) {
        return Note{e.socket, log::Level::warn, "lost (" + e.reason + "); its replacement is on the way"};
      }
      reopen_reason_ = Reconnect::died;
      return retry_later(e.socket, "lost (" + e.reason + ")", now);
  }
  return std::nullopt;
}

// ---- Helpers

Action SocketSession::deliver(SocketId id, Envelope& e) const {
  if (stopping_) {
    // Refused, not half-done: without an ack Slack delivers it again after we restart.
    return Note{id, log::Level::info, "shutting down; left envelope " + e.envelope_id + " for redelivery"};
  }
  return Dispatch{id, std::move(e)};
}

Note SocketSession::retry_later(SocketId id, const std::string& what, SessionTime now,
                                std::optional<std::chrono::seconds> retry_after) {
  const auto wait = backoff_.next(retry_after);
  retry_at_ = now + wait;
  return Note{id, log::Level::warn, what + "; retrying in " + text_of(wait)};
}

Fail SocketSession::give_up(std::string reason) {
  stopping_ = true;
  return Fail{std::move(reason)};
}

Reconnect SocketSession::reason_of(const Disconnect& d) {
  if (d.reason == "refresh_requested") return Reconnect::refresh_requested;
  if (d.reason == "warning") return Reconnect::warning;
  if (d.reason == "too_many_websockets") return Reconnect::too_many_websockets;
  return Reconnect::disconnect;
}

Fail SocketSession::give_up_link_disabled() {
  return give_up(
      "Slack disabled Socket Mode for this app (link_disabled): turn it on under "
      "Settings → Socket Mode, then start microalign again");
}

// ---- What is due, given the state: closing, then dead links, then pings, then opening.

Action SocketSession::next(SessionTime now) {
  for (auto& [id, socket] : sockets_) {
    // A serving socket that is not current has been replaced: its successor said hello.
    const bool replaced = socket.phase == SocketState::Phase::serving && current_ != id;
    const bool unwanted = stopping_ && (socket.phase == SocketState::Phase::awaiting_hello ||
                                        socket.phase == SocketState::Phase::serving);
    if (replaced || unwanted) {
      socket.phase = SocketState::Phase::closing;
      if (!replaced) return Close{id, "shutting down"};
      return Close{id, current_ ? "replaced by socket " + std::to_string(*current_) : "replaced"};
    }
  }
  if (stopping_) return Wait{};  // sockets still opening report back, closing ones end

  if (successor_) {
    auto& socket = sockets_.at(*successor_);
    if (socket.phase == SocketState::Phase::awaiting_hello && now >= socket.connected_at + settings_.dead_link_after) {
      const SocketId id = *successor_;
      socket.phase = SocketState::Phase::closing;
      successor_.reset();
      reopen_reason_ = Reconnect::no_hello;
      const auto note = retry_later(id, "no hello within " + text_of(settings_.dead_link_after), now);
      return Drop{id, note.text};
    }
  }

  if (current_) {
    auto& socket = sockets_.at(*current_);
    if (now >= socket.last_heard + settings_.dead_link_after) {
      const SocketId id = *current_;
      socket.phase = SocketState::Phase::closing;
      current_.reset();
      std::string why = "nothing heard for " + text_of(settings_.dead_link_after) + " (dead link)";
      if (!successor_) {
        reopen_reason_ = Reconnect::dead_link;
        why = retry_later(id, why, now).text;
      }
      return Drop{id, why};
    }
    if (!socket.pinged && now >= socket.last_heard + settings_.dead_link_after / 2) {
      socket.pinged = true;
      return Ping{*current_};
    }
  }

  if (wants_another_socket() && (!retry_at_ || now >= *retry_at_)) {
    retry_at_.reset();
    const SocketId id = next_id_++;
    sockets_[id] = SocketState{};
    successor_ = id;
    return Open{id, std::exchange(reopen_reason_, Reconnect::none)};
  }
  return wait();
}

// A successor is wanted when nothing serves, or Slack asked the serving socket to go — unless
// one is already being opened, or a socket closing first (too_many_websockets) has yet to end.
bool SocketSession::wants_another_socket() const {
  if (stopping_ || successor_) return false;
  if (current_ && !sockets_.at(*current_).leaving) return false;
  return std::none_of(sockets_.begin(), sockets_.end(),
                      [](const auto& entry) { return entry.second.reopen_when_ended; });
}

// The earliest deadline that next() acts on; none when only an event can change anything.
Wait SocketSession::wait() const {
  std::optional<SessionTime> until;
  auto consider = [&](SessionTime t) { until = until ? std::min(*until, t) : t; };
  if (successor_) {
    const auto& socket = sockets_.at(*successor_);
    if (socket.phase == SocketState::Phase::awaiting_hello) {
      consider(socket.connected_at + settings_.dead_link_after);
    }
  }
  if (current_) {
    const auto& socket = sockets_.at(*current_);
    consider(socket.last_heard + (socket.pinged ? settings_.dead_link_after : settings_.dead_link_after / 2));
  }
  if (retry_at_ && wants_another_socket()) consider(*retry_at_);
  return Wait{until};
}

}  // namespace microalign::slack
