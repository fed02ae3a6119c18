// Trackers' webhook deliveries: any body on /webhooks/github, /webhooks/jira or /webhooks/linear,
// signed with the right secret so that it gets past the signature and into the decoders.
// Input: one byte choosing the tracker, the GitHub event name up to a newline, then the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "microalign/trackers/signature.hpp"
#include "microalign/trackers/webhook.hpp"

using namespace microalign;
using namespace microalign::trackers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto tracker = data[0] % 3 == 0 ? Tracker::github : data[0] % 3 == 1 ? Tracker::jira : Tracker::linear;
  const auto newline = input.find('\n');
  const auto event = newline == std::string_view::npos ? std::string_view{} : input.substr(0, newline);
  WebhookRequest request{
      tracker, {}, std::string(newline == std::string_view::npos ? input : input.substr(newline + 1))};
  constexpr std::string_view secret = "fuzz";
  const auto signature = hmac_sha256_hex(secret, request.body);
  request.headers = {{"x-github-event", std::string(event)},
                     {"x-hub-signature-256", "sha256=" + signature},
                     {"x-hub-signature", "sha256=" + signature},
                     {"linear-signature", signature}};
  // Linear deliveries count as sent now when their webhookTimestamp is 0.
  const auto outcome = receive_webhook(request, secret, SysTime{}, ParseOptions{});
  if (outcome.verdict == WebhookOutcome::Verdict::activity && !outcome.activity) __builtin_trap();
  return 0;
}
