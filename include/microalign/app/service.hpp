// Everything the application runs on its own, for the platforms this process serves: one
// outbox sender per platform, the digest and nudge schedulers and housekeeping, started and
// stopped together; and the Bot that platforms hand their events to. What it does is counted in
// a metrics registry (app/metrics.hpp), and each task's state is there for GET /readyz. A task
// that stops on an error is logged with the error and started again after a backoff
// (app/restart_policy.hpp): background work never dies silently, nor for good.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "microalign/app/bot.hpp"
#include "microalign/app/clock.hpp"
#include "microalign/app/digests.hpp"
#include "microalign/app/housekeeping.hpp"
#include "microalign/app/metrics.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/nudges.hpp"
#include "microalign/app/outbox_sender.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/app/restart_policy.hpp"
#include "microalign/app/trackers.hpp"
#include "microalign/net/signal.hpp"

namespace microalign::app {

struct ServiceOptions {
  BotOptions bot;
  // The digest scheduler sleeps until the next digest is due, or is woken by a schedule's change;
  // it looks again after this at the latest, in case the clock jumped.
  std::chrono::milliseconds digest_max_sleep{std::chrono::hours(1)};
  std::chrono::milliseconds nudge_tick{std::chrono::minutes(5)};    // how often quiet tickets are
  // When a task that stopped on an error starts again.
  RestartPolicy restarts;
};

// A background task, as GET /readyz reports it.
struct TaskState {
  enum class Status {
    not_started,
    running,
    restarting,  // stopped on an error; starts again after its backoff
    stopped,
    failed,  // stopped on an error while the service was stopping: not started again
  };
  std::string name;  // "outbox_sender_slack", "digest_scheduler", …: the metrics' `task` label
  Status status = Status::not_started;
  int restarts = 0;                     // times started again after stopping on an error
  std::optional<SysTime> last_failure;  // when it last stopped on an error (the system clock's time)
};

class Service {
 public:
  Service(boost::asio::any_io_executor, storage::Transactions&, Clock, ServiceOptions,
          metrics::Registry& = metrics::default_registry());
  ~Service();

  // Before run(): a platform this process serves; its outbox gets a sender.
  void serve(Platform&);
  Bot& bot() { return bot_; }
  // What the trackers' webhooks hand their activity to.
  Trackers& trackers() { return trackers_; }

  // Runs the background work until stop(); returns once all of it has finished (what is queued
  // stays in the outbox for the next start). A task that throws is started again meanwhile;
  // stop() cuts its backoff short.
  boost::asio::awaitable<void> run();
  void stop();
  // The clock moved (the sandbox's, by hand): the digest and nudge schedulers and the outbox
  // senders look now at what is due, rather than when they meant to.
  void wake_schedulers();

  // Every background task: the schedulers, housekeeping, then one outbox sender per platform.
  std::vector<TaskState> tasks() const;

  // Brings the gauges read from storage up to date — the outbox's depth and oldest message, per
  // platform — for GET /metrics. Through the storage port, off the event loop; when storage has
  // not started on it by `deadline`, the gauges keep their last values.
  boost::asio::awaitable<void> observe(std::chrono::milliseconds deadline);

 private:
  struct Task {
    TaskState state;
    metrics::Gauge& running;
    metrics::Counter& failures;
    metrics::Counter& restarts;
    metrics::Gauge& last_failure;
  };
  Task& task(std::string name);
  void start(Task&, std::function<boost::asio::awaitable<void>()> work);
  // Runs `work` until it returns or the service stops, starting it again whenever it throws.
  boost::asio::awaitable<void> supervise(Task&, std::function<boost::asio::awaitable<void>()> work);
  void set_status(Task&, TaskState::Status);
  // Waits `delay`, or less when stop() comes first.
  boost::asio::awaitable<void> back_off(std::chrono::milliseconds delay);

  boost::asio::any_io_executor executor_;
  storage::Transactions& transactions_;
  Clock now_;
  ServiceOptions options_;
  metrics::Registry& registry_;
  AppMetrics metrics_;
  Names names_;
  Platforms platforms_;
  Bot bot_;
  Trackers trackers_;
  std::vector<std::unique_ptr<OutboxSender>> senders_;
  DigestScheduler digests_;
  NudgeScheduler nudges_;
  Housekeeping housekeeping_;
  // Made in the constructor and serve(), started by run(): never moved once run() has started.
  std::vector<std::unique_ptr<Task>> tasks_;
  std::set<std::string> observed_platforms_;  // platforms whose outbox gauges have been set
  net::Signal finished_;
  net::Signal stop_requested_;  // cuts backoffs short
  int running_ = 0;
  bool stopping_ = false;
};

}  // namespace microalign::app
