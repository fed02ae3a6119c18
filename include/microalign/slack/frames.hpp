// Socket Mode frames, read and written. Pure: text in, values out, so every odd frame Slack (or a
// broken proxy) can send is a unit test, not a production incident.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace microalign::slack {

struct Hello {
  int num_connections = 0;
  std::chrono::seconds approximate_connection_time{0};  // when Slack plans to recycle the socket
};

struct Disconnect {
  std::string reason;  // warning, refresh_requested, too_many_websockets, link_disabled, …
};

// Work for us: `events_api`, `slash_commands`, `interactive`, or a type we do not know yet.
struct Envelope {
  std::string envelope_id;
  std::string type;
  nlohmann::json payload;
  bool accepts_response_payload = false;
  int retry_attempt = 0;
  std::string retry_reason;
};

// A well-formed JSON object we have no use for (no envelope id to acknowledge).
struct OtherFrame {
  std::string type;
};

// Not a JSON object, or an envelope missing what makes it one.
struct MalformedFrame {
  std::string reason;
};

using Frame = std::variant<Hello, Disconnect, Envelope, OtherFrame, MalformedFrame>;

Frame read_frame(std::string_view text);

// {"envelope_id": id} or {"envelope_id": id, "payload": payload}.
std::string ack_frame(std::string_view envelope_id);
std::string ack_frame(std::string_view envelope_id, const nlohmann::json& payload);

// What the socket should do after Slack says `disconnect` with this reason.
enum class DisconnectAction {
  replace_then_close,  // routine: open a replacement first, then close this one (no gap)
  close_then_replace,  // too many sockets: making another first would only make it worse
  stop,                // link_disabled: Socket Mode is off for the app; retrying cannot help
};
DisconnectAction action_for(const Disconnect&);

}  // namespace microalign::slack
