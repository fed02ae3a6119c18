// The trackers' webhook endpoints on the HTTP listener: POST /webhooks/github, /webhooks/jira and
// /webhooks/linear. Each delivery is checked and decoded (webhook.hpp) and its activity handed to
// the application (app/trackers.hpp); the answer tells the tracker whether to deliver it again:
//   200  stored, a replay stored before, or nothing we track (a ping)
//   401  no valid signature (nothing stored)        400  signed, but unreadable
//   404  that tracker's secret is not set           405  not a POST
//   503  not stored in time: deliver it again
// Each answer is counted in microalign_tracker_webhooks_total{tracker, outcome}.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string_view>

#include "microalign/app/clock.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/metrics.hpp"
#include "microalign/net/http_server.hpp"

namespace microalign::app {
class Trackers;
}

namespace microalign::trackers {

class WebhookEndpoint {
 public:
  WebhookEndpoint(const TrackersConfig&, const ParseOptions&, app::Trackers&, app::Clock,
                  metrics::Registry& = metrics::default_registry());

  // True for the three endpoints' paths (a query string aside).
  static bool serves(std::string_view target);

  // The listener takes bodies this large on these paths: a push with many commits, or a pull
  // request with a long description, is larger than anything else the listener gets. (GitHub caps
  // deliveries at 25 MB; one over this is refused with 413, and the tracker shows it failed.)
  static constexpr std::string_view path_prefix = "/webhooks/";
  static constexpr std::size_t max_delivery_bytes = 1024 * 1024;

  boost::asio::awaitable<net::ServerResponse> handle(net::ServerRequest);

 private:
  const TrackersConfig& config_;
  const ParseOptions& parse_;
  app::Trackers& trackers_;
  app::Clock now_;
  metrics::Family<metrics::Counter>& deliveries_;
};

}  // namespace microalign::trackers
