// The decisions of one Socket Mode slot, without I/O: which socket serves, when to open another,
// when to ping, when a link is dead, how long to wait before trying again, when to give up.
//
// A "sans-I/O" state machine, as Boost.Redis writes its protocol: the slot's coroutine (in
// socket_mode.cpp) reports what happened as an Event, and `resume` answers with the one Action
// to perform next. After performing any action but Wait, the coroutine calls `resume(Tick{})`
// for the next one, until the answer is Wait: then it waits for the next event, or for the
// Wait's deadline and reports a Tick. Time is only ever the `now` passed in and randomness
// comes from the injected backoff source, so every hard case — a refresh during a refresh, a
// silent socket, Slack refusing us for a minute — is a unit test with made-up frames and a
// made-up clock (tests/slack/socket_session_test.cpp).
//
// A slot normally serves on one socket. When Slack asks that socket to go (`disconnect` with
// warning or refresh_requested) the slot opens a successor first and closes the old socket only
// once the successor said hello, so envelopes never have nowhere to arrive. Opening first is
// skipped when it would exceed Slack's limit of sockets per app (too_many_websockets, or a link
// already using all ten).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "microalign/core/config.hpp"
#include "microalign/core/log.hpp"
#include "microalign/slack/frames.hpp"
#include "microalign/slack/reconnect_policy.hpp"

namespace microalign::slack {

using SessionTime = std::chrono::steady_clock::time_point;
using SocketId = int;  // numbered by the session, 1, 2, …, never reused

struct SessionSettings {
  // Silence (no frame, no ping, no pong) for half of this: ping; for all of it: the link is dead.
  // Also how long a new socket may take to say hello.
  std::chrono::milliseconds dead_link_after{std::chrono::seconds(30)};
  std::chrono::milliseconds backoff_base{std::chrono::seconds(1)};
  std::chrono::milliseconds backoff_cap{std::chrono::seconds(60)};
  // Open the successor before closing the socket Slack asked to go. Off when the link already
  // uses as many sockets as Slack allows an app: a successor would be one too many.
  bool make_before_break = true;
};

// The settings for each of the `config.connections` slots of a link.
SessionSettings session_settings(const SlackConfig&);

// Why a slot opens a socket after its first one: what the operator's count of reconnects says.
enum class Reconnect {
  none,                 // the slot's first socket: not a reconnect
  refresh_requested,    // Slack asked the socket to go (disconnect: refresh_requested)
  warning,              // Slack asked, about to recycle its server (disconnect: warning)
  too_many_websockets,  // Slack asked: the app has too many sockets open
  disconnect,           // Slack asked, for a reason not known here
  died,                 // the serving socket ended (closed by Slack, reset, a TLS or write error)
  dead_link,            // nothing heard, not even a pong, for dead_link_after
  no_hello,             // a new socket said no hello in time, or ended before it
  open_failed,          // apps.connections.open or the websocket connect failed: trying again
};
inline constexpr Reconnect reconnect_reasons[] = {
    Reconnect::refresh_requested, Reconnect::warning,     Reconnect::too_many_websockets,
    Reconnect::disconnect,        Reconnect::died,        Reconnect::dead_link,
    Reconnect::no_hello,          Reconnect::open_failed,
};
std::string_view to_string(Reconnect);

namespace session {

// ---- Events: what the coroutine saw.

// Nothing new: time passed (a Wait's deadline), or the last action has been performed.
struct Tick {};

// Opening `socket` failed before it became a websocket: apps.connections.open refused or the
// connection failed. `slack_error` is Slack's `error` from apps.connections.open, when it got
// that far ("invalid_auth", "ratelimited"); `reason` says what failed, for the log.
struct OpenFailed {
  SocketId socket;
  std::string reason;
  std::string slack_error;
  std::optional<std::chrono::seconds> retry_after;
};

// The websocket is up; Slack's hello is due.
struct Connected {
  SocketId socket;
};

// A text frame arrived, read by read_frame.
struct Received {
  SocketId socket;
  Frame frame;
};

// Proof of life that carries nothing for us: a ping, a pong, a close frame, a binary frame.
struct Heard {
  SocketId socket;
};

// The socket is gone: closed (by us or by Slack), dropped, or failed. `reason` for the log.
struct Ended {
  SocketId socket;
  std::string reason;
};

// The link is shutting down: no new envelopes, no new sockets, close the ones open.
struct Stop {};

using Event = std::variant<Tick, OpenFailed, Connected, Received, Heard, Ended, Stop>;

// ---- Actions: what the coroutine does next.

// Get a fresh URL from apps.connections.open (each carries a one-time ticket) and connect to it;
// report Connected, or OpenFailed.
struct Open {
  SocketId socket;
  Reconnect reason = Reconnect::none;  // why, unless it is the slot's first socket
};

// The socket said hello: it carries envelopes now, and acks may go on it.
struct Ready {
  SocketId socket;
  int num_connections;  // Slack's count of this app's sockets, for the log
};

// Hand the envelope to the handler; its ack goes back on this socket.
struct Dispatch {
  SocketId socket;
  Envelope envelope;
};

// Send a websocket ping: a healthy peer answers with a pong (reported as Heard).
struct Ping {
  SocketId socket;
};

// Close cleanly: let the envelopes it delivered acknowledge (bounded), then a close frame.
// Report Ended once it is closed.
struct Close {
  SocketId socket;
  std::string why;
};

// Cut the connection now, no close handshake: the peer is not answering. Acks still owed go on
// another socket. Report Ended.
struct Drop {
  SocketId socket;
  std::string why;
};

// Give up: the link stops and run() returns this sentence for the operator.
struct Fail {
  std::string reason;
};

// Nothing to do but worth a log line.
struct Note {
  SocketId socket;
  log::Level level;
  std::string text;
};

// Nothing to do until the next event, or until `until` (then report a Tick).
struct Wait {
  std::optional<SessionTime> until;
};

using Action = std::variant<Open, Ready, Dispatch, Ping, Close, Drop, Fail, Note, Wait>;

}  // namespace session

class SocketSession {
 public:
  // `uniform` is the backoff's jitter source: values in [0, 1).
  SocketSession(SessionSettings, Backoff::Uniform uniform);

  session::Action resume(session::Event, SessionTime now);

  // Stopping, and every socket it opened has ended: the coroutine can return.
  bool finished() const { return stopping_ && sockets_.empty(); }

 private:
  struct SocketState {
    enum class Phase { opening, awaiting_hello, serving, closing } phase = Phase::opening;
    SessionTime connected_at{};      // awaiting_hello: hello is due by connected_at + dead_link_after
    SessionTime last_heard{};        // serving
    bool pinged = false;             // serving: a ping went out since last_heard
    bool leaving = false;            // serving: Slack asked it to go; its successor opens first
    bool reopen_when_ended = false;  // closing first: the next socket opens once this one ended
  };

  std::optional<session::Action> on(const session::Tick&, SessionTime);
  std::optional<session::Action> on(const session::OpenFailed&, SessionTime);
  std::optional<session::Action> on(const session::Connected&, SessionTime);
  std::optional<session::Action> on(session::Received&, SessionTime);
  std::optional<session::Action> on(const session::Heard&, SessionTime);
  std::optional<session::Action> on(const session::Ended&, SessionTime);
  std::optional<session::Action> on(const session::Stop&, SessionTime);

  std::optional<session::Action> on_awaiting_hello(SocketId, SocketState&, Frame&, SessionTime);
  std::optional<session::Action> on_serving(SocketId, SocketState&, Frame&);
  std::optional<session::Action> on_disconnect(SocketId, SocketState&, const Disconnect&);
  session::Action deliver(SocketId, Envelope&) const;
  session::Note retry_later(SocketId, const std::string& what, SessionTime,
                            std::optional<std::chrono::seconds> retry_after = std::nullopt);
  session::Fail give_up(std::string reason);
  static Reconnect reason_of(const Disconnect&);
  session::Fail give_up_link_disabled();

  session::Action next(SessionTime now);
  bool wants_another_socket() const;
  session::Wait wait() const;

  SessionSettings settings_;
  Backoff backoff_;
  std::map<SocketId, SocketState> sockets_;  // every socket not yet Ended
  std::optional<SocketId> current_;          // the one serving this slot
  std::optional<SocketId> successor_;        // the one being opened (before its hello)
  std::optional<SessionTime> retry_at_;      // backing off: no new socket before this
  Reconnect reopen_reason_ = Reconnect::none;  // why the next socket opens
  SocketId next_id_ = 1;
  bool stopping_ = false;
};

}  // namespace microalign::slack
