// A fake Slack for integration tests that speaks the real wire protocol over loopback TLS:
// the Web API (HTTPS POST /api/<method>, JSON or form bodies, Bearer tokens), response URLs
// (POST /response/<anything>), and Socket Mode (WSS /link/?ticket=…&app_id=…), all on one
// port. It runs its own io_context on its own thread; tests drive it from their thread
// through the methods below, which are thread-safe. Waits block with a timeout and return
// false / nullopt when it passes.
//
//   TestPki pki;
//   FakeSlack slack(pki);                        // tokens: FakeSlack::Options defaults
//   pki.trust();                                 // before the bot makes its TLS context
//   … start the bot with slack.api_url() …
//   REQUIRE(slack.wait_for_connections(1, 2s));
//   slack.send_envelope(slash_command("env-1", "/status", "PROJ-1 done", "U111", "C111",
//                                     slack.response_url("r1")));
//   auto ack = slack.wait_for_ack("env-1", 2s);
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test_pki.hpp"

namespace microalign::test {

// One HTTP request the fake received.
struct ApiCall {
  std::string method;         // "chat.postMessage", or FakeSlack::response_url_method
  std::string target;         // "/api/chat.postMessage", "/response/r1"
  std::string content_type;
  std::string authorization;  // the header as sent ("Bearer xoxb-…"); empty when missing
  nlohmann::json params;      // the JSON body, or the form fields (and query) as strings:
                              // a form's `blocks` stays a string of JSON, as Slack gets it
};

// An answer to a call, replacing the built-in one.
struct Reply {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Retry-After", "3"}
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering

  static Reply json(const nlohmann::json& body, unsigned status = 200);
  static Reply error(std::string_view slack_error);  // HTTP 200 {"ok":false,"error":…}
  static Reply rate_limited(std::chrono::seconds retry_after);  // 429, Retry-After, "ratelimited"
};

// One WebSocket message the fake received from the client.
struct Frame {
  std::string text;
  bool binary = false;
  nlohmann::json json;  // the parsed text; discarded (is_discarded()) when it is not JSON
};

struct SocketInfo {
  int id = 0;
  bool open = false;
  std::vector<Frame> frames;                   // in order of arrival
  std::optional<std::uint16_t> client_close;   // close code, when the client closed it
};

class FakeSlack {
 public:
  struct Options {
    std::string app_token = "xapp-1-A111-111-test";  // apps.connections.open only
    std::string bot_token = "xoxb-111-222-test";     // every other method
    bool send_hello = true;  // greet each new socket with a `hello` frame
    // Sent as x-oauth-scopes ("commands,chat:write") with every answer to a call made with the
    // bot token, as Slack does; nullopt: the header is left out.
    std::optional<std::string> bot_scopes;
  };
  static constexpr std::string_view response_url_method = "response_url";

  // Serves the server certificate of `pki`. The fake is listening when this returns.
  explicit FakeSlack(const TestPki& pki);
  FakeSlack(const TestPki& pki, Options);
  ~FakeSlack();
  FakeSlack(const FakeSlack&) = delete;
  FakeSlack& operator=(const FakeSlack&) = delete;

  std::string host() const;  // "127.0.0.1"
  std::string port() const;
  std::string api_url() const;                     // "https://127.0.0.1:PORT/api/"
  std::string response_url_base() const;           // "https://127.0.0.1:PORT/response/"
  std::string response_url(std::string_view id) const;

  // ---- Web API. A call is answered by, in order: the token check (not_authed /
  // invalid_auth), the next reply queued for its method, the method's handler, the
  // built-in behaviour (apps.connections.open, chat.postMessage, chat.postEphemeral,
  // chat.update, conversations.open, auth.test, users.info; "ok" for response URLs;
  // unknown_method otherwise). Answers to the bot token carry Options::bot_scopes.
  void reply_next(std::string_view method, Reply);
  // The next call of `method` is handled as usual — a chat.postMessage is posted — but answered
  // `delay` late, as when Slack did the work and its answer was slow or lost on the way.
  void answer_late(std::string_view method, std::chrono::milliseconds delay);
  // Runs on the fake's thread, so it must not call back into the fake.
  void on(std::string_view method, std::function<Reply(const ApiCall&)> handler);
  void clear_handler(std::string_view method);                     // back to the built-in behaviour
  std::vector<ApiCall> calls(std::string_view method = {}) const;  // all when empty
  // The count-th call of `method` (1 = first), once it has arrived.
  std::optional<ApiCall> wait_for_call(std::string_view method, std::chrono::milliseconds timeout,
                                       std::size_t count = 1) const;
  // Messages posted with chat.postMessage, as the fake answered them plus "channel".
  std::vector<nlohmann::json> posted_messages() const;
  std::size_t http_connections_opened() const;
  // Closes every HTTPS connection once it has answered the request in progress, as a
  // server's keep-alive timeout does (FIN, no TLS close_notify); true once all are closed.
  bool close_http_connections(std::chrono::milliseconds timeout = std::chrono::seconds(2));

  // ---- Socket Mode. Sockets get ids 1, 2, … in the order they open. Sending is queued:
  // frames go out in the order of the calls, on the fake's thread.
  void set_send_hello(bool);
  // New sockets get their hello this long after they open (0: at once), as from a slow Slack.
  void set_hello_delay(std::chrono::milliseconds);
  std::size_t socket_connections_opened() const;
  std::vector<int> open_sockets() const;  // oldest first
  SocketInfo socket(int id) const;        // id 0 or unknown: a default SocketInfo
  bool wait_for_connections(std::size_t open_at_once, std::chrono::milliseconds timeout) const;
  bool wait_for_closed(int id, std::chrono::milliseconds timeout) const;
  // The first frame on any socket with this envelope_id: the client's ack.
  std::optional<nlohmann::json> wait_for_ack(std::string_view envelope_id,
                                             std::chrono::milliseconds timeout) const;

  void send(int id, const nlohmann::json& frame);
  void send_text(int id, std::string text);    // verbatim, e.g. malformed JSON
  void send_binary(int id, std::string bytes);
  // To socket `id`, or to the newest open one; returns the socket used (none open: nullopt).
  std::optional<int> send_envelope(const nlohmann::json& envelope, std::optional<int> id = {});
  // Sends a `disconnect` frame, then closes the socket (close frame) if the client has not
  // closed it within `grace`.
  void disconnect(int id, std::string_view reason,
                  std::chrono::milliseconds grace = std::chrono::seconds(1));
  // Closes TCP after the frames already queued: no close frame, no TLS close_notify.
  void drop(int id);
  // Half-open: stops reading and writing on the socket but keeps TCP open, so the client's
  // pings go unanswered and nothing more arrives.
  void go_silent(int id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Frames in the shapes Slack sends (see /work/shared/slack-samples and slack.md).
nlohmann::json hello_frame(int num_connections, std::string_view app_id = "A111");
nlohmann::json disconnect_frame(std::string_view reason);
nlohmann::json slash_command(std::string_view envelope_id, std::string_view command,
                             std::string_view text, std::string_view user,
                             std::string_view channel, std::string_view response_url);
nlohmann::json app_mention(std::string_view envelope_id, std::string_view event_id,
                           std::string_view text, std::string_view user, std::string_view channel,
                           std::string_view thread_ts = {},
                           std::string_view ts = "1610241741.000200");
// A `message` event in a DM with the bot (channel_type "im").
nlohmann::json direct_message(std::string_view envelope_id, std::string_view event_id,
                              std::string_view text, std::string_view user,
                              std::string_view channel, std::string_view ts = "1610241741.000300");
nlohmann::json block_action(std::string_view envelope_id, std::string_view action_id,
                            std::string_view value, std::string_view user, std::string_view channel,
                            std::string_view message_ts, std::string_view response_url);

// A modal's form sent: `values` is the view's state.values ({block_id: {action_id: {…}}}).
nlohmann::json view_submission(std::string_view envelope_id, std::string_view callback_id,
                               std::string_view private_metadata, const nlohmann::json& values,
                               std::string_view user);

nlohmann::json read_json_file(const std::string& path);  // throws when unreadable or not JSON

#ifdef MICROALIGN_SAMPLES_DIR
// A file from the shared samples, e.g. load_sample("envelopes/slash_commands.json").
inline nlohmann::json load_sample(std::string_view relative_path) {
  return read_json_file(std::string(MICROALIGN_SAMPLES_DIR) + "/" + std::string(relative_path));
}
#endif

}  // namespace microalign::test
