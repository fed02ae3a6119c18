// Socket Mode: any text frame Slack (or a broken proxy) can send, and whatever payload an
// envelope carries, read by every reader the receiver uses. A payload that is not wrapped in an
// envelope is read too, so the fuzzer need not find the envelope's shape first.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "microalign/core/json_depth.hpp"
#include "microalign/slack/frames.hpp"
#include "microalign/slack/nudge_views.hpp"
#include "microalign/slack/payloads.hpp"

using namespace microalign;
using namespace microalign::slack;

namespace {

void read_every_way(const nlohmann::json& payload) {
  std::string why;
  (void)read_slash_command(payload, why);
  (void)event_type(payload);
  (void)event_id(payload);
  (void)interactive_type(payload);
  if (const auto action = read_block_action(payload, why)) {
    (void)from_block_kit(nlohmann::json::parse(action->message_blocks, nullptr, /*allow_exceptions=*/false));
  }
  (void)read_view_submission(payload, why);
  (void)read_mention(payload, why);
  (void)read_reaction(payload, why);
  (void)read_thread_reply(payload, why);
  (void)user_display_name(payload);
  (void)user_time_zone(payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto frame = read_frame(text);
  if (const auto* envelope = std::get_if<Envelope>(&frame)) {
    read_every_way(envelope->payload);
    (void)ack_frame(envelope->envelope_id);
  } else if (const auto* disconnect = std::get_if<Disconnect>(&frame)) {
    (void)action_for(*disconnect);
  }
  if (json_nesting_within(text)) {
    read_every_way(nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false));
  }
  return 0;
}
