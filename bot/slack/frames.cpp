#include "microalign/slack/frames.hpp"

#include "microalign/core/json_depth.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/outside_json.hpp"

namespace microalign::slack {
namespace {

Frame read_hello(const nlohmann::json& frame) {
  Hello hello;
  // Counts only for the log: a number out of range (1e10, -1, "2") is dropped, the hello still
  // counts (refusing it would leave the socket waiting for a hello that already came).
  hello.num_connections = json_integer_member<int>(frame, "num_connections", 0).value_or(0);
  if (auto info = frame.find("debug_info"); info != frame.end() && info->is_object()) {
    hello.approximate_connection_time =
        std::chrono::seconds(json_integer_member<long>(*info, "approximate_connection_time", 0).value_or(0));
  }
  return hello;
}

// The frame is consumed: its payload is moved out, not copied (a deep copy of every payload was
// a visible share of the event loop's time under load).
Frame read_envelope(nlohmann::json& frame, std::string envelope_id) {
  Envelope envelope;
  envelope.envelope_id = std::move(envelope_id);
  envelope.type = json_string_member(frame, "type");
  if (auto payload = frame.find("payload"); payload != frame.end()) envelope.payload = std::move(*payload);
  if (auto accepts = frame.find("accepts_response_payload"); accepts != frame.end()) {
    envelope.accepts_response_payload = accepts->is_boolean() && accepts->get<bool>();
  }
  // Only for the log as well: the envelope is work to do and acknowledge whatever this says.
  envelope.retry_attempt = json_integer_member<int>(frame, "retry_attempt", 0).value_or(0);
  envelope.retry_reason = json_string_member(frame, "retry_reason");
  if (envelope.type.empty()) return MalformedFrame{"envelope without a type"};
  return envelope;
}

}  // namespace

Frame read_frame(std::string_view text) {
  // Depth refused before parsing: the parser would manage, but copying the payload out (and
  // whatever later dumps or compares it) recurses once per level, and 100,000 levels overflow
  // the stack.
  auto [frame, too_deep] = read_outside_json(text);
  if (too_deep) return MalformedFrame{"nested deeper than " + std::to_string(max_json_depth) + " levels"};
  if (frame.is_discarded()) return MalformedFrame{"not valid JSON"};
  if (!frame.is_object()) return MalformedFrame{"not a JSON object"};

  const auto type = json_string_member(frame, "type");
  if (type == "hello") return read_hello(frame);
  if (type == "disconnect") return Disconnect{json_string_member(frame, "reason")};
  if (auto id = frame.find("envelope_id"); id != frame.end()) {
    if (!id->is_string() || id->get_ref<const std::string&>().empty()) {
      return MalformedFrame{"envelope_id is not a non-empty string"};
    }
    return read_envelope(frame, id->get<std::string>());
  }
  return OtherFrame{type};
}

std::string ack_frame(std::string_view envelope_id) {
  return nlohmann::json{{"envelope_id", envelope_id}}.dump();
}

std::string ack_frame(std::string_view envelope_id, const nlohmann::json& payload) {
  return nlohmann::json{{"envelope_id", envelope_id}, {"payload", payload}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

DisconnectAction action_for(const Disconnect& d) {
  if (d.reason == "link_disabled") return DisconnectAction::stop;
  if (d.reason == "too_many_websockets") return DisconnectAction::close_then_replace;
  return DisconnectAction::replace_then_close;
}

}  // namespace microalign::slack
