// Deliveries as the trackers send them: a payload from tests/data/trackers (SOURCES.md names
// where each comes from), signed the tracker's way, with the tracker's headers.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "microalign/core/export.hpp"
#include "microalign/trackers/signature.hpp"
#include "microalign/trackers/webhook.hpp"

namespace microalign::test {

// The secret of GitHub's own example ("Validating webhook deliveries").
inline const std::string tracker_secret = "It's a Secret to Everybody";

inline SysTime at(std::string_view rfc3339) {
  const auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

// When the tests receive their deliveries.
inline const SysTime received{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours{10}};

inline std::string tracker_payload(const std::string& name) {
  std::ifstream in(std::string(MICROALIGN_TEST_DATA_DIR) + "/trackers/" + name);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The payload with `change` made to it, as the tracker would have sent it had it been so.
inline std::string changed_payload(const std::string& name, const std::function<void(nlohmann::json&)>& change) {
  auto json = nlohmann::json::parse(tracker_payload(name));
  change(json);
  return json.dump();
}

inline trackers::WebhookRequest github_delivery(const std::string& event, std::string body,
                                                const std::string& delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958") {
  const auto signature = "sha256=" + trackers::hmac_sha256_hex(tracker_secret, body);
  return {Tracker::github,
          {{"x-github-event", event}, {"x-github-delivery", delivery}, {"x-hub-signature-256", signature}},
          std::move(body)};
}

inline trackers::WebhookRequest jira_delivery(std::string body, const std::string& identifier = "jira-delivery-1") {
  const auto signature = "sha256=" + trackers::hmac_sha256_hex(tracker_secret, body);
  return {
      Tracker::jira, {{"x-atlassian-webhook-identifier", identifier}, {"x-hub-signature", signature}}, std::move(body)};
}

// A Linear payload stamped as sent at `sent` (webhookTimestamp, milliseconds), and signed.
inline trackers::WebhookRequest linear_delivery(const std::string& name, SysTime sent = received,
                                                const std::function<void(nlohmann::json&)>& change = {}) {
  auto body = changed_payload(name, [&](nlohmann::json& json) {
    json["webhookTimestamp"] = sent.time_since_epoch().count();
    if (change) change(json);
  });
  const auto signature = trackers::hmac_sha256_hex(tracker_secret, body);
  return {Tracker::linear,
          {{"linear-delivery", "234d1a4e-b617-4388-90fe-adc3633d6b72"},
           {"linear-event", "Issue"},
           {"linear-signature", signature}},
          std::move(body)};
}

inline trackers::WebhookOutcome receive(const trackers::WebhookRequest& request, const ParseOptions& options = {}) {
  return trackers::receive_webhook(request, tracker_secret, received, options);
}

// The activity a delivery became; fails the test, saying why, when it became none.
inline TrackerActivity activity_of(const trackers::WebhookOutcome& outcome) {
  INFO(outcome.why);
  REQUIRE(outcome.verdict == trackers::WebhookOutcome::Verdict::activity);
  REQUIRE(outcome.activity);
  return *outcome.activity;
}

}  // namespace microalign::test
