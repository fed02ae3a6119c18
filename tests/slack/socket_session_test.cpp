// The Socket Mode session's decisions, driven as the link's coroutine drives them — but with
// frames written here (or copied from Slack's SDKs) and a clock that only moves when told.
#include <catch2/catch.hpp>

#include "microalign/slack/socket_session.hpp"
#include "samples.hpp"

using namespace microalign;
using namespace microalign::slack;
using namespace microalign::slack::session;
using namespace std::chrono_literals;
using microalign::test::envelope_sample;

namespace {

// Frames as Slack sends them, read by the same read_frame the link uses.
Received hello(SocketId socket) { return {socket, read_frame(envelope_sample("hello.json"))}; }

Received disconnect(SocketId socket, const std::string& reason) {
  // The shape of a real capture (bolt-js #1061).
  return {socket, read_frame(R"({"type":"disconnect","reason":")" + reason +
                             R"(","debug_info":{"host":"applink-d85c5c684-dnqj9"}})")};
}

Received envelope(SocketId socket, const std::string& id) {
  return {socket, read_frame(R"({"envelope_id":")" + id +
                             R"(","type":"events_api","payload":{"type":"event_callback"},)"
                             R"("accepts_response_payload":false,"retry_attempt":0,"retry_reason":""})")};
}

// An action in a word or two, so a sequence of them reads as the scenario.
std::string summary(const Action& action) {
  return std::visit(
      [](const auto& a) -> std::string {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, Open>) return "open " + std::to_string(a.socket);
        if constexpr (std::is_same_v<T, Ready>) return "ready " + std::to_string(a.socket);
        if constexpr (std::is_same_v<T, Dispatch>) return "dispatch " + a.envelope.envelope_id;
        if constexpr (std::is_same_v<T, Ping>) return "ping " + std::to_string(a.socket);
        if constexpr (std::is_same_v<T, Close>) return "close " + std::to_string(a.socket);
        if constexpr (std::is_same_v<T, Drop>) return "drop " + std::to_string(a.socket);
        if constexpr (std::is_same_v<T, Fail>) return "fail";
        if constexpr (std::is_same_v<T, Note>) return "note " + std::to_string(a.socket);
        if constexpr (std::is_same_v<T, Wait>) return "wait";
      },
      action);
}

using Steps = std::vector<std::string>;

SessionSettings settings() {
  SessionSettings s;
  s.dead_link_after = 30s;
  s.backoff_base = 1s;
  s.backoff_cap = 60s;
  return s;
}

// One slot, driven as socket_mode.cpp drives it: report an event, then Tick until it waits.
class Slot {
 public:
  explicit Slot(SessionSettings s = settings()) : session_(s, [this] { return jitter; }) {}

  double jitter = 0.5;  // what the backoff's random source returns
  SessionTime now{};

  // The actions up to the Wait; the Wait is kept for waiting_for().
  std::vector<Action> report(Event event) {
    std::vector<Action> actions;
    auto action = session_.resume(std::move(event), now);
    while (!std::holds_alternative<Wait>(action)) {
      actions.push_back(action);
      REQUIRE(actions.size() < 20);  // a session that never waits is a bug
      action = session_.resume(Tick{}, now);
    }
    wait_ = std::get<Wait>(action);
    return actions;
  }
  Steps steps(Event event) {
    Steps out;
    for (const auto& a : report(std::move(event))) out.push_back(summary(a));
    return out;
  }

  // Moves the clock to the deadline of the last Wait and reports the Tick.
  Steps at_deadline() {
    REQUIRE(wait_.until);
    now = *wait_.until;
    return steps(Tick{});
  }
  // Why the socket opened at the last Wait's deadline is opened.
  Reconnect reopened_at_deadline() {
    REQUIRE(wait_.until);
    now = *wait_.until;
    return std::get<Open>(report(Tick{}).at(0)).reason;
  }
  Steps after(std::chrono::milliseconds d) {
    now += d;
    return steps(Tick{});
  }

  // How long until the session wants a Tick; nullopt: only an event can change anything.
  std::optional<std::chrono::milliseconds> waiting_for() const {
    if (!wait_.until) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*wait_.until - now);
  }

  bool finished() const { return session_.finished(); }

  // Socket 1 open and serving.
  void serve() {
    REQUIRE(steps(Tick{}) == Steps{"open 1"});
    REQUIRE(steps(Connected{1}).empty());
    REQUIRE(steps(hello(1)) == Steps{"ready 1"});
  }

 private:
  SocketSession session_;
  Wait wait_;
};

template <typename T>
T only(const std::vector<Action>& actions) {
  REQUIRE(actions.size() == 1);
  REQUIRE(std::holds_alternative<T>(actions[0]));
  return std::get<T>(actions[0]);
}

}  // namespace

TEST_CASE("a socket opens, is usable after hello, and carries envelopes", "[session]") {
  Slot slot;
  CHECK(slot.steps(Tick{}) == Steps{"open 1"});
  CHECK_FALSE(slot.waiting_for());  // opening reports back by itself
  CHECK(slot.steps(Connected{1}).empty());
  CHECK(slot.waiting_for() == 30s);  // hello is due

  auto ready = only<Ready>(slot.report(hello(1)));
  CHECK(ready.socket == 1);
  CHECK(ready.num_connections == 2);

  auto dispatch = only<Dispatch>(slot.report(envelope(1, "env-1")));
  CHECK(dispatch.socket == 1);
  CHECK(dispatch.envelope.envelope_id == "env-1");
  CHECK(dispatch.envelope.type == "events_api");
  auto slash = only<Dispatch>(slot.report(Received{1, read_frame(envelope_sample("slash_commands.json"))}));
  CHECK(slash.envelope.accepts_response_payload);
}

TEST_CASE("frames before hello are ignored, envelopes included", "[session]") {
  Slot slot;
  slot.steps(Tick{});
  slot.steps(Connected{1});
  const auto note = only<Note>(slot.report(envelope(1, "too-early")));
  CHECK(note.text == "frame before hello ignored");
  CHECK(slot.steps(Received{1, read_frame("{not json")}) == Steps{"note 1"});
  CHECK(slot.steps(Received{1, read_frame(R"({"type":"pong"})")}) == Steps{"note 1"});
  CHECK(slot.steps(hello(1)) == Steps{"ready 1"});
  CHECK(slot.steps(envelope(1, "on-time")) == Steps{"dispatch on-time"});
}

TEST_CASE("no hello in time: the socket is dropped and another one opened after a backoff", "[session]") {
  Slot slot;
  slot.steps(Tick{});
  slot.steps(Connected{1});
  slot.now += 29s;
  CHECK(slot.steps(Heard{1}).empty());  // a ping from Slack is not a hello
  CHECK(slot.waiting_for() == 1s);
  slot.now += 1s;
  auto drop = only<Drop>(slot.report(Tick{}));
  CHECK(drop.socket == 1);
  CHECK(drop.why == "no hello within 30 s; retrying in 500 ms");
  CHECK(slot.waiting_for() == 500ms);
  CHECK(slot.steps(Ended{1, "connection cut"}).empty());  // the drop, as the driver reports it
  CHECK(slot.at_deadline() == Steps{"open 2"});
}

TEST_CASE("a disconnect before hello fails the socket, and link_disabled fails the link", "[session]") {
  Slot slot;
  slot.steps(Tick{});
  slot.steps(Connected{1});
  SECTION("too_many_websockets: closed, retried after a backoff") {
    const auto refusal = read_frame(envelope_sample("disconnect-too_many_websockets.json"));
    auto close = only<Close>(slot.report(Received{1, refusal}));
    CHECK(close.why == "Slack refused the socket before hello (too_many_websockets); retrying in 500 ms");
    CHECK(slot.steps(Ended{1, "closed"}).empty());
    CHECK(slot.at_deadline() == Steps{"open 2"});
  }
  SECTION("link_disabled: the link stops with the reason") {
    auto actions = slot.report(disconnect(1, "link_disabled"));
    REQUIRE(actions.size() == 2);
    const auto& fail = std::get<Fail>(actions[0]);
    CHECK(fail.reason.find("link_disabled") != std::string::npos);
    CHECK(fail.reason.find("Settings → Socket Mode") != std::string::npos);
    CHECK(summary(actions[1]) == "close 1");
    CHECK(slot.steps(Ended{1, "closed"}).empty());
    CHECK(slot.finished());
  }
}

TEST_CASE("refresh and warning: the replacement says hello before the old socket closes", "[session]") {
  const auto reason = GENERATE(as<std::string>{}, "refresh_requested", "warning", "some_future_reason");
  Slot slot;
  slot.serve();
  const auto steps = slot.steps(disconnect(1, reason));
  CHECK(steps == Steps{"note 1", "open 2"});

  // Until then the old socket serves: its envelopes are dispatched, its silence watched.
  CHECK(slot.steps(envelope(1, "during-handover")) == Steps{"dispatch during-handover"});
  CHECK(slot.steps(Connected{2}).empty());
  CHECK(slot.steps(disconnect(1, reason)) == Steps{"note 1"});  // asked twice: one replacement

  auto actions = slot.report(hello(2));
  REQUIRE(actions.size() == 2);
  CHECK(summary(actions[0]) == "ready 2");
  CHECK(summary(actions[1]) == "close 1");  // only now: no moment without a socket
  CHECK(std::get<Close>(actions[1]).why == "replaced by socket 2");

  // Slack may still deliver on the socket being closed, until the close frame: not lost.
  CHECK(slot.steps(envelope(1, "late")) == Steps{"dispatch late"});
  CHECK(slot.steps(Ended{1, "closed"}).empty());
  CHECK(slot.steps(envelope(2, "after")) == Steps{"dispatch after"});
  CHECK(slot.waiting_for() == 15s);  // the new socket is watched now
}

TEST_CASE("the old socket dying during a refresh costs no backoff", "[session]") {
  Slot slot;
  slot.serve();
  slot.steps(disconnect(1, "refresh_requested"));
  const auto lost = only<Note>(slot.report(Ended{1, "closed by Slack"}));
  CHECK(lost.text == "lost (closed by Slack); its replacement is on the way");
  CHECK(slot.steps(Connected{2}).empty());
  CHECK(slot.steps(hello(2)) == Steps{"ready 2"});
}

TEST_CASE("a replacement that fails is retried while the old socket keeps serving", "[session]") {
  Slot slot;
  slot.serve();
  slot.steps(disconnect(1, "warning"));
  const auto note =
      only<Note>(slot.report(OpenFailed{2, "apps.connections.open failed: internal_error", "internal_error", {}}));
  CHECK(note.text == "apps.connections.open failed: internal_error; retrying in 500 ms");
  CHECK(slot.steps(envelope(1, "still-served")) == Steps{"dispatch still-served"});
  CHECK(slot.at_deadline() == Steps{"open 3"});
  slot.steps(Connected{3});
  CHECK(slot.steps(hello(3)) == Steps{"ready 3", "close 1"});
}

TEST_CASE("too_many_websockets: the socket closes first, its replacement opens after a backoff", "[session]") {
  Slot slot;
  slot.serve();
  auto close = only<Close>(slot.report(disconnect(1, "too_many_websockets")));
  CHECK(close.socket == 1);
  CHECK_FALSE(slot.waiting_for());  // nothing opens while it is closing
  CHECK(slot.steps(envelope(1, "in-the-gap")) == Steps{"dispatch in-the-gap"});
  CHECK(slot.steps(Ended{1, "closed"}).empty());
  CHECK(slot.waiting_for() == 500ms);  // then a backoff: straight back would meet the same limit
  CHECK(slot.at_deadline() == Steps{"open 2"});
}

TEST_CASE("with all ten sockets Slack allows, a refresh closes before it replaces", "[session]") {
  SlackConfig config;
  config.connections = 2;
  CHECK(session_settings(config).make_before_break);
  config.connections = 10;
  const auto ten = session_settings(config);
  CHECK_FALSE(ten.make_before_break);
  CHECK(ten.dead_link_after == config.dead_link_after);
  CHECK(ten.backoff_cap == config.backoff_cap);

  Slot slot(ten);
  slot.serve();
  CHECK(slot.steps(disconnect(1, "refresh_requested")) == Steps{"close 1"});
  CHECK_FALSE(slot.waiting_for());
  CHECK(slot.steps(Ended{1, "closed"}).empty());
  CHECK(slot.at_deadline() == Steps{"open 2"});
}

TEST_CASE("link_disabled while serving stops the link with the operator's reason", "[session]") {
  Slot slot;
  slot.serve();
  slot.steps(disconnect(1, "refresh_requested"));  // a replacement on its way: closed too
  auto actions = slot.report(disconnect(1, "link_disabled"));
  // Already replacing, so the second disconnect is only noted… unless it is link_disabled.
  REQUIRE(actions.size() == 2);
  CHECK(std::get<Fail>(actions[0]).reason ==
        "Slack disabled Socket Mode for this app (link_disabled): turn it on under Settings → Socket "
        "Mode, then start microalign again");
  CHECK(summary(actions[1]) == "close 1");
  CHECK(slot.steps(Connected{2}) == Steps{"close 2"});  // the successor arrived too late
  CHECK(slot.steps(envelope(1, "after-the-end")) == Steps{"note 1"});
  slot.steps(Ended{1, "closed"});
  CHECK_FALSE(slot.finished());
  slot.steps(Ended{2, "closed"});
  CHECK(slot.finished());
}

TEST_CASE("a silent link is pinged at half the deadline and dropped at the deadline", "[session][dead-link]") {
  Slot slot;
  slot.serve();
  CHECK(slot.waiting_for() == 15s);
  CHECK(slot.after(14s).empty());
  CHECK(slot.waiting_for() == 1s);
  CHECK(slot.at_deadline() == Steps{"ping 1"});
  CHECK(slot.waiting_for() == 15s);  // pinged once, then waits for the pong
  CHECK(slot.after(14s).empty());    // no second ping

  slot.now += 1s;
  auto drop = only<Drop>(slot.report(Tick{}));
  CHECK(drop.socket == 1);
  CHECK(drop.why == "nothing heard for 30 s (dead link); retrying in 500 ms");
  CHECK(slot.steps(Ended{1, "connection cut"}).empty());
  CHECK(slot.at_deadline() == Steps{"open 2"});
}

TEST_CASE("a pong, a ping or any frame proves the link alive", "[session][dead-link]") {
  Slot slot;
  slot.serve();
  SECTION("a pong after our ping") {
    CHECK(slot.after(15s) == Steps{"ping 1"});
    slot.now += 10s;
    CHECK(slot.steps(Heard{1}).empty());
  }
  SECTION("Slack's own ping, before ours was due") {
    slot.now += 10s;
    CHECK(slot.steps(Heard{1}).empty());
  }
  SECTION("an envelope") {
    slot.now += 10s;
    CHECK(slot.steps(envelope(1, "e")) == Steps{"dispatch e"});
  }
  SECTION("a frame we ignore") {
    slot.now += 10s;
    CHECK(slot.steps(Received{1, read_frame(R"({"type":"something"})")}) == Steps{"note 1"});
  }
  CHECK(slot.waiting_for() == 15s);  // counted from what was heard
  CHECK(slot.at_deadline() == Steps{"ping 1"});
  CHECK(slot.waiting_for() == 15s);
}

TEST_CASE("a dead link during a refresh is dropped without a backoff: the successor is coming",
          "[session][dead-link]") {
  Slot slot;
  slot.serve();
  slot.now += 20s;
  slot.steps(disconnect(1, "warning"));  // heard at 20 s
  CHECK(slot.after(15s) == Steps{"ping 1"});
  slot.now += 15s;
  auto drop = only<Drop>(slot.report(Tick{}));
  CHECK(drop.why == "nothing heard for 30 s (dead link)");
  CHECK_FALSE(slot.waiting_for());  // socket 2 is still opening
  slot.steps(Ended{1, "connection cut"});
  slot.steps(Connected{2});
  CHECK(slot.steps(hello(2)) == Steps{"ready 2"});
}

TEST_CASE("a lost socket is reopened after a backoff", "[session]") {
  Slot slot;
  slot.serve();
  const auto note = only<Note>(slot.report(Ended{1, "connection reset by peer"}));
  CHECK(note.level == log::Level::warn);
  CHECK(note.text == "lost (connection reset by peer); retrying in 500 ms");
  CHECK(slot.at_deadline() == Steps{"open 2"});
}

TEST_CASE("every socket after a slot's first says why it was opened", "[session][metrics]") {
  Slot slot;
  CHECK(only<Open>(slot.report(Tick{})).reason == Reconnect::none);  // the first is no reconnect
  slot.steps(Connected{1});
  slot.steps(hello(1));
  SECTION("Slack asks for a refresh, or warns") {
    const auto [frame, why] =
        GENERATE(table<std::string, Reconnect>({{"refresh_requested", Reconnect::refresh_requested},
                                                {"warning", Reconnect::warning},
                                                {"some_future_reason", Reconnect::disconnect}}));
    const auto actions = slot.report(disconnect(1, frame));
    REQUIRE(actions.size() == 2);
    CHECK(std::get<Open>(actions[1]).reason == why);
  }
  SECTION("too many websockets: opened once the old one closed") {
    slot.steps(disconnect(1, "too_many_websockets"));
    slot.steps(Ended{1, "closed"});
    CHECK(slot.reopened_at_deadline() == Reconnect::too_many_websockets);
  }
  SECTION("the socket died") {
    slot.steps(Ended{1, "connection reset by peer"});
    CHECK(slot.reopened_at_deadline() == Reconnect::died);
  }
  SECTION("a dead link") {
    slot.after(15s);
    slot.after(15s);
    slot.steps(Ended{1, "connection cut"});
    CHECK(slot.reopened_at_deadline() == Reconnect::dead_link);
  }
  SECTION("the next socket says no hello, then opening fails") {
    slot.steps(Ended{1, "closed by Slack"});
    slot.reopened_at_deadline();
    slot.steps(Connected{2});
    slot.after(30s);
    slot.steps(Ended{2, "connection cut"});
    CHECK(slot.reopened_at_deadline() == Reconnect::no_hello);
    slot.steps(OpenFailed{3, "websocket connect failed: refused", "", {}});
    CHECK(slot.reopened_at_deadline() == Reconnect::open_failed);
  }
  CHECK(to_string(Reconnect::too_many_websockets) == "too_many_websockets");
  CHECK(to_string(Reconnect::dead_link) == "dead_link");
}

TEST_CASE("backoff grows to the cap, with jitter, and starts over after a hello", "[session][backoff]") {
  Slot slot;
  slot.jitter = 0.999;
  std::vector<long> waits;
  slot.steps(Tick{});
  for (SocketId id = 1; id <= 9; ++id) {
    slot.steps(OpenFailed{id, "websocket connect failed: refused", "", {}});
    waits.push_back(std::chrono::duration_cast<std::chrono::seconds>(*slot.waiting_for()).count());
    REQUIRE(slot.at_deadline() == Steps{"open " + std::to_string(id + 1)});
  }
  CHECK(waits == std::vector<long>{0, 1, 3, 7, 15, 31, 59, 59, 59});

  slot.steps(Connected{10});
  slot.steps(hello(10));
  slot.steps(Ended{10, "closed by Slack"});
  CHECK(slot.waiting_for() < 1s);  // a socket that worked starts the schedule over
}

TEST_CASE("jitter spreads the waits over the whole range", "[session][backoff]") {
  Slot slot;
  slot.steps(Tick{});
  slot.jitter = 0.0;
  CHECK(slot.steps(OpenFailed{1, "refused", "", {}}) == Steps{"note 1", "open 2"});  // no wait at all
  slot.jitter = 0.25;
  slot.steps(OpenFailed{2, "refused", "", {}});
  CHECK(slot.waiting_for() == 500ms);  // a quarter of 2 s
}

TEST_CASE("Retry-After is a floor for the next attempt", "[session][backoff]") {
  Slot slot;
  slot.steps(Tick{});
  const auto note =
      only<Note>(slot.report(OpenFailed{1, "apps.connections.open failed: ratelimited", "ratelimited", 30s}));
  CHECK(note.text == "apps.connections.open failed: ratelimited; retrying in 30 s");
  CHECK(slot.waiting_for() == 30s);
  CHECK(slot.after(29s).empty());
  CHECK(slot.after(1s) == Steps{"open 2"});
}

TEST_CASE("a rejected app token is fatal and says which token", "[session][auth]") {
  const auto error = GENERATE(as<std::string>{}, "invalid_auth", "not_authed", "token_revoked", "account_inactive");
  Slot slot;
  slot.steps(Tick{});
  auto fail = only<Fail>(slot.report(OpenFailed{1, "apps.connections.open failed: " + error, error, {}}));
  CHECK(fail.reason == "SLACK_APP_TOKEN was rejected by Slack (" + error +
                           "): check the app-level token and its connections:write scope");
  CHECK(slot.finished());
  CHECK_FALSE(slot.waiting_for());
}

TEST_CASE("a token revoked while serving stops the link when the replacement is refused", "[session][auth]") {
  Slot slot;
  slot.serve();
  slot.steps(disconnect(1, "refresh_requested"));
  auto actions = slot.report(OpenFailed{2, "apps.connections.open failed: token_revoked", "token_revoked", {}});
  REQUIRE(actions.size() == 2);
  CHECK(summary(actions[0]) == "fail");
  CHECK(summary(actions[1]) == "close 1");
}

TEST_CASE("stopping refuses new envelopes and closes every socket", "[session][stop]") {
  Slot slot;
  slot.serve();
  slot.steps(disconnect(1, "warning"));  // socket 2 opening
  CHECK(slot.steps(Stop{}) == Steps{"close 1"});
  const auto left = only<Note>(slot.report(envelope(1, "env-late")));
  CHECK(left.text == "shutting down; left envelope env-late for redelivery");
  CHECK(slot.steps(Connected{2}) == Steps{"close 2"});  // opened meanwhile: closed at once
  CHECK(slot.steps(hello(2)).empty());
  CHECK(slot.steps(Ended{1, "closed"}).empty());
  CHECK_FALSE(slot.finished());
  CHECK(slot.steps(Ended{2, "closed"}).empty());
  CHECK(slot.finished());
}

TEST_CASE("stopping while backing off or opening", "[session][stop]") {
  Slot slot;
  slot.steps(Tick{});
  SECTION("backing off: done at once") {
    slot.steps(OpenFailed{1, "refused", "", {}});
    CHECK(slot.steps(Stop{}).empty());
    CHECK(slot.finished());
    CHECK_FALSE(slot.waiting_for());
  }
  SECTION("opening: done when the open fails") {
    CHECK(slot.steps(Stop{}).empty());
    CHECK_FALSE(slot.finished());
    CHECK(slot.steps(OpenFailed{1, "refused", "invalid_auth", {}}).empty());  // not worth a Fail now
    CHECK(slot.finished());
  }
}

TEST_CASE("events about sockets the session no longer knows are ignored", "[session]") {
  Slot slot;
  slot.serve();
  CHECK(slot.steps(Ended{7, "closed"}).empty());
  CHECK(slot.steps(Connected{7}).empty());
  CHECK(slot.steps(OpenFailed{7, "refused", "invalid_auth", {}}).empty());
  CHECK(slot.steps(envelope(7, "ghost")).empty());
  CHECK(slot.steps(Heard{7}).empty());
  CHECK(slot.steps(envelope(1, "real")) == Steps{"dispatch real"});
}
