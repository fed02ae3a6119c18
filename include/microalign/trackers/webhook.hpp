// A tracker's webhook delivery — GitHub, Jira Cloud or Linear — checked and decoded into the
// TrackerActivity it reports. Pure: no sockets, no storage, no clock of its own.
//
// Usage, from the HTTP route of each tracker (POST /webhooks/github, /webhooks/jira,
// /webhooks/linear):
//
//   trackers::WebhookRequest request{Tracker::github, lower_cased_headers, std::string(body)};
//   const auto outcome = trackers::receive_webhook(request, config.github_webhook_secret, clock.now(),
//                                                  parse_options);
//   switch (outcome.verdict) {
//     case Verdict::unauthorized: return respond(401, outcome.why);  // store nothing
//     case Verdict::malformed:    return respond(400, outcome.why);  // store nothing
//     case Verdict::ignored:      return respond(200, outcome.why);  // ping, an event we do not use
//     case Verdict::activity:     store(*outcome.activity);          // a replay has the same delivery_id
//                                 return respond(200, "stored");
//   }
//
// The signature is checked over the raw body before a byte of it is parsed; without a secret
// nothing is trusted. `why` is one line for the log and the response body, never the secret.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/model.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/tracker_activity.hpp"

namespace microalign::trackers {

struct WebhookRequest {
  Tracker tracker = Tracker::github;           // which endpoint it came to
  std::map<std::string, std::string> headers;  // names in lower case ("x-hub-signature-256")
  std::string body;                            // the raw bytes the signature covers
};

struct WebhookOutcome {
  enum class Verdict {
    activity,      // 200: store `activity`
    ignored,       // 200: authentic, but nothing we track (a ping, a label, no ticket named)
    unauthorized,  // 401: no secret configured, a missing or wrong signature, a stale Linear delivery
    malformed,     // 400: authentic, but not JSON or without the fields its event must have
  };
  Verdict verdict = Verdict::ignored;
  std::optional<TrackerActivity> activity;  // with `activity` only
  std::string why;                          // one line: what was stored, or why not
};

// A Linear delivery's webhookTimestamp may be this far from `now`, either way (as Linear's SDK
// allows): an older one is a replay, a newer one a forgery or a clock to fix.
inline constexpr std::chrono::seconds linear_timestamp_tolerance{60};

// Checks and decodes one delivery. `secret` is the tracker's own (GITHUB_WEBHOOK_SECRET,
// JIRA_WEBHOOK_SECRET, LINEAR_WEBHOOK_SECRET); `now` stands in for any time the payload does not
// give and judges Linear's timestamp; `options` decide which keys are tickets, as for chat.
WebhookOutcome receive_webhook(const WebhookRequest&, std::string_view secret, SysTime now, const ParseOptions&);

}  // namespace microalign::trackers
