// The local sandbox, a third adapter on the application's platform port beside Slack and Teams:
// a small web page on the HTTP listener where a few people in a few channels post updates,
// commands and @mentions, click the nudges' buttons, fill in the update form, read digests, and
// move the clock forward. Each request is decoded into the same events Slack's and Teams'
// adapters make and handed to the same app::Bot; what the application sends comes back through
// the SandboxPlatform into the page's message log. Nothing is simulated twice: the use cases,
// storage, outbox and schedulers are the real ones.
//
//   GET  /                        the page (HTML; its script and style at /sandbox/app.js, .css)
//   GET  /sandbox/state?since=N   the clock, channels, people, and messages changed after N
//   POST /sandbox/post   {"person", "conversation", "text", "thread"?}  as if typed
//   POST /sandbox/click  {"person", "message", "action_id", "value"}   a button clicked
//   POST /sandbox/form   {"person", "form", "state", "note"} or {"person", "form", "cancel": true}
//   POST /sandbox/react  {"person", "message"}                         a ✅ on a message
//   POST /sandbox/clock  {"advance": "1h" | "1d" | "1w" | …}            the clock moved forward
//
// The state carries every person's messages, private ones marked with whom they are for: the
// page shows each person theirs (one browser plays every person; the listener is on loopback).
// POSTs take JSON only (a page elsewhere cannot send it here without asking first), and one with
// an Origin header must come from the page itself. Unknown people, conversations, messages,
// buttons or forms are answered 400 with {"error": "…"}.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "microalign/app/clock.hpp"
#include "microalign/core/model.hpp"
#include "microalign/net/http_server.hpp"
#include "microalign/sandbox/message_log.hpp"
#include "microalign/sandbox/sandbox_clock.hpp"

namespace microalign::app {
class Bot;
class Platform;
}  // namespace microalign::app

namespace microalign::sandbox {

class SandboxPlatform;

class Adapter {
 public:
  explicit Adapter(SysTime start);
  ~Adapter();

  app::Platform& platform();
  // The sandbox's calendar, for the whole application: it moves when the page moves it.
  app::Clock clock() const { return clock_.clock(); }

  // True for the requests handle() answers: "/" and everything under "/sandbox/".
  static bool serves(std::string_view target);

  // From now on, what people do in the page goes to `bot`, and `clock_moved` is called after the
  // page moves the clock (so the schedulers look at once). Before, POSTs are answered 503.
  void serve(app::Bot&, std::function<void()> clock_moved);
  boost::asio::awaitable<net::ServerResponse> handle(net::ServerRequest);
  void stop();  // POSTs are answered 503 from now on

 private:
  boost::asio::awaitable<net::ServerResponse> post(const nlohmann::json&);
  boost::asio::awaitable<net::ServerResponse> click(const nlohmann::json&);
  boost::asio::awaitable<net::ServerResponse> submit_form(const nlohmann::json&);
  boost::asio::awaitable<net::ServerResponse> react(const nlohmann::json&);
  net::ServerResponse move_clock(const nlohmann::json&);
  net::ServerResponse state(std::string_view query) const;

  SandboxClock clock_;
  MessageLog log_;
  std::unique_ptr<SandboxPlatform> platform_;
  app::Bot* bot_ = nullptr;
  std::function<void()> clock_moved_;
  bool stopping_ = false;
};

}  // namespace microalign::sandbox
