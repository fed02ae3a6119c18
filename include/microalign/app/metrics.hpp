// What the application counts for the operator (GET /metrics): updates and decisions stored, digests and nudge
// DMs queued and sent, the outbox's sends, depth and oldest message, and the background tasks.
// Every family is named here once; the components that record resolve their series when they are
// made (a sender knows its platform), so recording is an atomic add. Label values are platform
// names, task names and outcomes: fixed sets from the code.
#pragma once

#include <string_view>

#include "microalign/core/metrics.hpp"

namespace microalign::app {

struct AppMetrics {
  explicit AppMetrics(metrics::Registry&);

  // Each platform's series at 0 from the start, so a dashboard sees them before the first event.
  void add_platform(std::string_view platform);

  metrics::Family<metrics::Counter>& updates_stored;  // {platform}
  metrics::Family<metrics::Counter>& decisions_stored;  // {platform}
  metrics::Family<metrics::Counter>& digests_queued;  // {platform}
  metrics::Family<metrics::Counter>& digests_posted;  // {platform}
  metrics::Family<metrics::Counter>& nudges_queued;   // {platform}
  metrics::Family<metrics::Counter>& nudges_sent;     // {platform}
  metrics::Family<metrics::Counter>& outbox_sends;    // {platform, outcome: sent, retried, failed}
  metrics::Family<metrics::Gauge>& outbox_pending;    // {platform}, at each scrape
  metrics::Family<metrics::Gauge>& outbox_oldest;     // {platform}, at each scrape
  metrics::Family<metrics::Gauge>& task_running;      // {task}
  metrics::Family<metrics::Counter>& task_failures;   // {task}
  metrics::Family<metrics::Counter>& task_restarts;   // {task}
  metrics::Family<metrics::Gauge>& task_last_failure;  // {task}, Unix time in seconds (0: none)
};

}  // namespace microalign::app
