#include "microalign/app/metrics.hpp"

namespace microalign::app {

AppMetrics::AppMetrics(metrics::Registry& r)
    : updates_stored(r.counter("microalign_updates_stored_total",
                               "Updates (heads-ups, statuses, mentions, answers from nudges) stored.", {"platform"})),
      decisions_stored(r.counter("microalign_decisions_stored_total",
                                 "Decisions stored in the decision log (superseding ones included).", {"platform"})),
      digests_queued(r.counter("microalign_digests_queued_total",
                               "Digests built and queued, scheduled or asked for with `digest now`.", {"platform"})),
      digests_posted(r.counter("microalign_digests_posted_total", "Digests whose first message the platform accepted.",
                               {"platform"})),
      nudges_queued(
          r.counter("microalign_nudges_queued_total", "Nudge DMs queued for quiet tickets' owners.", {"platform"})),
      nudges_sent(r.counter("microalign_nudges_sent_total", "Nudge DMs the platform accepted.", {"platform"})),
      outbox_sends(r.counter("microalign_outbox_sends_total",
                             "Outbox messages tried, by what came of it: sent, retried later, or failed for good.",
                             {"platform", "outcome"})),
      outbox_pending(r.gauge("microalign_outbox_pending", "Outbox messages waiting to be sent.", {"platform"})),
      outbox_oldest(r.gauge("microalign_outbox_oldest_pending_age_seconds",
                            "Age of the oldest outbox message waiting to be sent, in seconds (0: none waiting).",
                            {"platform"})),
      task_running(r.gauge("microalign_task_running", "1 while the background task runs, else 0.", {"task"})),
      task_failures(
          r.counter("microalign_task_failures_total", "Times the background task stopped on an error.", {"task"})),
      task_restarts(r.counter("microalign_task_restarts_total",
                              "Times the background task was started again after stopping on an error.", {"task"})),
      task_last_failure(r.gauge("microalign_task_last_failure_timestamp_seconds",
                                "When the background task last stopped on an error, in Unix time (0: never).",
                                {"task"})) {}

void AppMetrics::add_platform(std::string_view platform) {
  for (auto* family :
       {&updates_stored, &decisions_stored, &digests_queued, &digests_posted, &nudges_queued, &nudges_sent}) {
    family->with({platform});
  }
  for (const std::string_view outcome : {"sent", "retried", "failed"}) outbox_sends.with({platform, outcome});
  outbox_pending.with({platform});
  outbox_oldest.with({platform});
}

}  // namespace microalign::app
