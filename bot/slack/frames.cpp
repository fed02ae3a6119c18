#include "microalign/slack/frames.hpp"

#include "microalign/core/json_depth.hpp"

namespace microalign::slack {
namespace {

std::string string_field(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

template <typename Number>
Number number_field(const nlohmann::json& object, const char* name, Number fallback) {
  auto it = object.find(name);
  return it != object.end() && it->is_number() ? it->get<Number>() : fallback;
}

Frame read_hello(const nlohmann::json& frame) {
  Hello hello;
  hello.num_connections = number_field(frame, "num_connections", 0);
  if (auto info = frame.find("debug_info"); info != frame.end() && info->is_object()) {
    hello.approximate_connection_time =
        std::chrono::seconds(number_field<long>(*info, "approximate_connection_time", 0));
  }
  return hello;
}

// The frame is consumed: its payload is moved out, not copied (a deep copy of every payload was
// a visible share of the event loop's time under load).
Frame read_envelope(nlohmann::json& frame, std::string envelope_id) {
  Envelope envelope;
  envelope.envelope_id = std::move(envelope_id);
  envelope.type = string_field(frame, "type");
  if (auto payload = frame.find("payload"); payload != frame.end()) envelope.payload = std::move(*payload);
  if (auto accepts = frame.find("accepts_response_payload"); accepts != frame.end()) {
    envelope.accepts_response_payload = accepts->is_boolean() && accepts->get<bool>();
  }
  envelope.retry_attempt = number_field(frame, "retry_attempt", 0);
  envelope.retry_reason = string_field(frame, "retry_reason");
  if (envelope.type.empty()) return MalformedFrame{"envelope without a type"};
  return envelope;
}

}  // namespace

Frame read_frame(std::string_view text) {
  // Before parsing: the parser would manage, but copying the payload out (and whatever later
  // dumps or compares it) recurses once per level, and 100,000 levels overflow the stack.
  if (!json_nesting_within(text)) {
    return MalformedFrame{"nested deeper than " + std::to_string(max_json_depth) + " levels"};
  }
  auto frame = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (frame.is_discarded()) return MalformedFrame{"not valid JSON"};
  if (!frame.is_object()) return MalformedFrame{"not a JSON object"};

  const auto type = string_field(frame, "type");
  if (type == "hello") return read_hello(frame);
  if (type == "disconnect") return Disconnect{string_field(frame, "reason")};
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
