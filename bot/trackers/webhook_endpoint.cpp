#include "microalign/trackers/webhook_endpoint.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <utility>

#include "microalign/app/trackers.hpp"
#include "microalign/core/log.hpp"
#include "microalign/trackers/webhook.hpp"

namespace microalign::trackers {
namespace {

namespace asio = boost::asio;

// Trackers give up on an answer after about ten seconds (GitHub's limit), then count the
// delivery failed: storing must be done well within that.
constexpr std::chrono::milliseconds store_within{5000};

constexpr std::array endpoints{
    std::pair{std::string_view{"/webhooks/github"}, Tracker::github},
    std::pair{std::string_view{"/webhooks/jira"}, Tracker::jira},
    std::pair{std::string_view{"/webhooks/linear"}, Tracker::linear},
};

std::optional<Tracker> tracker_at(std::string_view target) {
  target = target.substr(0, target.find('?'));
  for (const auto& [path, tracker] : endpoints) {
    if (target == path) return tracker;
  }
  return std::nullopt;
}

const Secret& secret_of(const TrackersConfig& config, Tracker tracker) {
  switch (tracker) {
    case Tracker::github:
      return config.github_secret;
    case Tracker::jira:
      return config.jira_secret;
    case Tracker::linear:
      return config.linear_secret;
  }
  return config.github_secret;
}

std::string_view secret_variable(Tracker tracker) {
  switch (tracker) {
    case Tracker::github:
      return "GITHUB_WEBHOOK_SECRET";
    case Tracker::jira:
      return "JIRA_WEBHOOK_SECRET";
    case Tracker::linear:
      return "LINEAR_WEBHOOK_SECRET";
  }
  return "";
}

net::ServerResponse answer(unsigned status, std::string text) {
  net::ServerResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(text) + "\n";
  return r;
}

}  // namespace

WebhookEndpoint::WebhookEndpoint(const TrackersConfig& config, const ParseOptions& parse, app::Trackers& trackers,
                                 app::Clock now, metrics::Registry& registry)
    : config_(config),
      parse_(parse),
      trackers_(trackers),
      now_(std::move(now)),
      deliveries_(registry.counter("microalign_tracker_webhooks_total",
                                   "Tracker webhook deliveries, by tracker and outcome (stored, replay, ignored, "
                                   "unauthorized, malformed, disabled, failed, bad_method).",
                                   {"tracker", "outcome"})) {}

bool WebhookEndpoint::serves(std::string_view target) { return tracker_at(target).has_value(); }

asio::awaitable<net::ServerResponse> WebhookEndpoint::handle(net::ServerRequest request) {
  const auto tracker = tracker_at(request.target).value_or(Tracker::github);  // the router asked serves()
  const auto name = to_string(tracker);
  const auto count = [&](std::string_view outcome) { deliveries_.with({name, outcome}).inc(); };
  if (request.method != "POST") {
    count("bad_method");
    auto refused = answer(405, "webhooks are delivered with POST");
    refused.headers.emplace_back("Allow", "POST");
    co_return refused;
  }
  const auto& secret = secret_of(config_, tracker);
  if (secret.empty()) {
    // Said once per delivery: an operator who pasted the URL but not the secret sees why.
    log::warn("trackers", "a " + std::string(name) + " webhook arrived, but " + std::string(secret_variable(tracker)) +
                              " is not set: refused (404)");
    count("disabled");
    co_return answer(
        404, std::string(name) + " webhooks are off here: " + std::string(secret_variable(tracker)) + " is not set");
  }
  const WebhookRequest delivery{tracker, std::move(request.headers), std::move(request.body)};
  auto outcome = receive_webhook(delivery, secret.reveal(), now_(), parse_);
  using Verdict = WebhookOutcome::Verdict;
  switch (outcome.verdict) {
    case Verdict::unauthorized:
      log::warn("trackers", "refused a " + std::string(name) + " webhook: " + outcome.why);
      count("unauthorized");
      co_return answer(401, outcome.why);
    case Verdict::malformed:
      log::warn("trackers", "could not read a signed " + std::string(name) + " webhook: " + outcome.why);
      count("malformed");
      co_return answer(400, outcome.why);
    case Verdict::ignored:
      log::debug("trackers", "ignored: " + outcome.why);
      count("ignored");
      co_return answer(200, outcome.why);
    case Verdict::activity:
      break;
  }
  switch (co_await trackers_.record(std::move(*outcome.activity), store_within)) {
    case app::Trackers::Recorded::stored:
      log::info("trackers", "stored: " + outcome.why);
      count("stored");
      co_return answer(200, "stored: " + outcome.why);
    case app::Trackers::Recorded::replay:
      count("replay");
      co_return answer(200, "stored before: " + outcome.why);
    case app::Trackers::Recorded::failed:
      break;
  }
  count("failed");
  co_return answer(503, "not stored: please deliver it again");
}

}  // namespace microalign::trackers
