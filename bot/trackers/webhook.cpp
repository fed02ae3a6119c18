#include "microalign/trackers/webhook.hpp"

#include <chrono>

#include "decoding.hpp"
#include "microalign/core/json_depth.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/outside_json.hpp"
#include "microalign/trackers/signature.hpp"

namespace microalign::trackers {
namespace {

using Verdict = WebhookOutcome::Verdict;

WebhookOutcome unauthorized(std::string why) { return {Verdict::unauthorized, std::nullopt, std::move(why)}; }

// How each tracker signs: the header (as sent and in lower case) and what precedes the hex.
// GitHub: "X-Hub-Signature-256: sha256=<hex>". Jira Cloud, per WebSub: "X-Hub-Signature:
// sha256=<hex>" (no "-256"). Linear: "Linear-Signature: <hex>".
struct SigningRule {
  std::string_view tracker_name;
  std::string_view header_name;
  std::string header_key;
  std::string_view prefix;
};

SigningRule signing_rule(Tracker tracker) {
  switch (tracker) {
    case Tracker::github:
      return {"GitHub", "X-Hub-Signature-256", "x-hub-signature-256", "sha256="};
    case Tracker::jira:
      return {"Jira", "X-Hub-Signature", "x-hub-signature", "sha256="};
    case Tracker::linear:
      break;
  }
  return {"Linear", "Linear-Signature", "linear-signature", ""};
}

// Why a signature was refused, naming the header and never the secret or the expected value.
std::string refusal(const SigningRule& rule, SignatureCheck check) {
  const auto header = std::string(rule.header_name);
  switch (check) {
    case SignatureCheck::no_secret:
      return "no webhook secret is configured for " + std::string(rule.tracker_name) + ": every delivery is refused";
    case SignatureCheck::missing:
      return "missing " + header + " header";
    case SignatureCheck::malformed:
      return header + " is not " + std::string(rule.prefix) + "<64 hex digits>";
    case SignatureCheck::mismatch:
      return header + " does not match the body";
    case SignatureCheck::valid:
      break;
  }
  return {};
}

// Linear signs webhookTimestamp with the body; an old one is a captured delivery played again.
std::optional<std::string> stale_linear_delivery(const nlohmann::json& body, SysTime now) {
  const auto stamp = json_integer_member<std::int64_t>(body, "webhookTimestamp");
  if (!stamp) return "Linear delivery without a webhookTimestamp (milliseconds)";
  // Refused beyond ±2^62 ms (a hundred million years) first, so the subtraction cannot overflow.
  constexpr std::int64_t sane = std::int64_t{1} << 62;
  if (*stamp > sane || *stamp < -sane) return "Linear webhookTimestamp is out of range";
  const auto received = now.time_since_epoch().count();
  const auto off = std::chrono::milliseconds(*stamp - received);
  if (std::chrono::abs(off) <= linear_timestamp_tolerance) return std::nullopt;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::abs(off)).count();
  return "Linear webhookTimestamp is " + std::to_string(seconds) + " s " + (off < off.zero() ? "old" : "ahead") +
         " (more than " + std::to_string(linear_timestamp_tolerance.count()) + " s)";
}

}  // namespace

WebhookOutcome receive_webhook(const WebhookRequest& request, std::string_view secret, SysTime now,
                               const ParseOptions& options) {
  const auto rule = signing_rule(request.tracker);
  const auto header = request.headers.find(rule.header_key);
  const auto check = check_signature(
      secret, request.body, header == request.headers.end() ? std::string_view{} : header->second, rule.prefix);
  if (check != SignatureCheck::valid) return unauthorized(refusal(rule, check));

  const auto [body, too_deep] = read_outside_json(request.body);
  if (too_deep) return malformed("body nests deeper than " + std::to_string(max_json_depth) + " levels");
  if (!body.is_object()) return malformed("body is not a JSON object");
  if (request.tracker == Tracker::linear) {
    if (auto stale = stale_linear_delivery(body, now)) return unauthorized(std::move(*stale));
  }

  const Delivery delivery{request, body, now, options};
  switch (request.tracker) {
    case Tracker::github:
      return decode_github(delivery);
    case Tracker::jira:
      return decode_jira(delivery);
    case Tracker::linear:
      break;
  }
  return decode_linear(delivery);
}

}  // namespace microalign::trackers
