// Bot Framework activities: any request body on the Teams listener, read into an Activity, its
// text decoded (mentions, HTML entities), its thread split and a card click's value read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "microalign/teams/activity.hpp"
#include "microalign/teams/adaptive_card.hpp"

using namespace microalign::teams;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::string why;
  const auto activity = read_activity(body, why);
  if (!activity) return 0;
  (void)message_text(*activity);
  (void)message_text(*activity, 64);
  const auto thread = split_thread(activity->conversation_id);
  (void)thread_conversation(thread.conversation, thread.root);
  (void)read_card_click(activity->value);
  return 0;
}
