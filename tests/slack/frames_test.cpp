#include <catch2/catch.hpp>

#include "microalign/slack/frames.hpp"
#include "samples.hpp"

using namespace microalign::slack;
using microalign::test::envelope_sample;

TEST_CASE("hello frames give the connection count and recycle time", "[frames]") {
  auto frame = read_frame(envelope_sample("hello.json"));
  auto* hello = std::get_if<Hello>(&frame);
  REQUIRE(hello);
  CHECK(hello->num_connections == 2);
  CHECK(hello->approximate_connection_time > std::chrono::seconds(0));
}

TEST_CASE("disconnect frames carry their reason and decide the action", "[frames]") {
  auto frame = read_frame(envelope_sample("disconnect-too_many_websockets.json"));
  auto* d = std::get_if<Disconnect>(&frame);
  REQUIRE(d);
  CHECK(d->reason == "too_many_websockets");
  CHECK(action_for(*d) == DisconnectAction::close_then_replace);
  CHECK(action_for(Disconnect{"warning"}) == DisconnectAction::replace_then_close);
  CHECK(action_for(Disconnect{"refresh_requested"}) == DisconnectAction::replace_then_close);
  CHECK(action_for(Disconnect{"link_disabled"}) == DisconnectAction::stop);
  CHECK(action_for(Disconnect{"something_new"}) == DisconnectAction::replace_then_close);
}

TEST_CASE("every sample envelope reads as an envelope of its type", "[frames]") {
  const std::pair<const char*, const char*> samples[] = {
      {"slash_commands.json", "slash_commands"},
      {"events_api-app_mention.json", "events_api"},
      {"events_api-message.json", "events_api"},
      {"interactive-shortcut.json", "interactive"},
      {"interactive-block_actions-large.json", "interactive"},
  };
  for (const auto& [file, type] : samples) {
    INFO(file);
    auto frame = read_frame(envelope_sample(file));
    auto* e = std::get_if<Envelope>(&frame);
    REQUIRE(e);
    CHECK(e->type == type);
    CHECK_FALSE(e->envelope_id.empty());
    CHECK(e->payload.is_object());
  }
  auto slash = std::get<Envelope>(read_frame(envelope_sample("slash_commands.json")));
  CHECK(slash.accepts_response_payload);
  auto event = std::get<Envelope>(read_frame(envelope_sample("events_api-app_mention.json")));
  CHECK_FALSE(event.accepts_response_payload);
  CHECK(event.retry_attempt == 0);
}

TEST_CASE("retries of events are visible", "[frames]") {
  auto frame = read_frame(
      R"({"envelope_id":"e1","type":"events_api","payload":{},"retry_attempt":2,"retry_reason":"timeout"})");
  auto& e = std::get<Envelope>(frame);
  CHECK(e.retry_attempt == 2);
  CHECK(e.retry_reason == "timeout");
}

TEST_CASE("malformed and unknown frames are named, never thrown", "[frames]") {
  for (const char* text : {"", "not json", "{", "[1,2]", "42", "\"hello\"", "null",
                           R"({"envelope_id":42,"type":"events_api"})",
                           R"({"envelope_id":"","type":"events_api"})",
                           R"({"envelope_id":"x"})", "\xff\xfe{}"}) {
    INFO(text);
    CHECK(std::holds_alternative<MalformedFrame>(read_frame(text)));
  }
  CHECK(std::holds_alternative<OtherFrame>(read_frame(R"({"type":"pong"})")));
  auto unknown = read_frame(R"({"envelope_id":"e9","type":"brand_new_kind","payload":{}})");
  REQUIRE(std::holds_alternative<Envelope>(unknown));
  CHECK(std::get<Envelope>(unknown).type == "brand_new_kind");
}

TEST_CASE("truncated sample envelopes are survived", "[frames][fuzz]") {
  const auto text = envelope_sample("interactive-block_actions-large.json");
  for (std::size_t cut = 0; cut < text.size(); cut += 997) {
    auto frame = read_frame(std::string_view(text).substr(0, cut));
    CHECK(std::holds_alternative<MalformedFrame>(frame));
  }
}

TEST_CASE("acks carry the envelope id, and the payload when there is one", "[frames]") {
  CHECK(nlohmann::json::parse(ack_frame("abc")) == nlohmann::json{{"envelope_id", "abc"}});
  auto with_payload = nlohmann::json::parse(ack_frame("abc", {{"text", "ok"}}));
  CHECK(with_payload["envelope_id"] == "abc");
  CHECK(with_payload["payload"]["text"] == "ok");
}
