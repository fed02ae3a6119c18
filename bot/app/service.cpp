#include "microalign/app/service.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <optional>
#include <string>

#include "microalign/app/transact.hpp"
#include "microalign/core/failure.hpp"
#include "microalign/core/log.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {

namespace asio = boost::asio;

Service::Service(asio::any_io_executor executor, storage::Transactions& transactions, Clock now, ServiceOptions options,
                 metrics::Registry& registry)
    : executor_(executor),
      transactions_(transactions),
      now_(now),
      options_(options),
      registry_(registry),
      metrics_(registry),
      bot_(transactions, now, options.bot, names_, platforms_, metrics_),
      trackers_(transactions, now),
      digests_(executor, transactions, platforms_, names_, now, metrics_, options.bot.ticket_links,
               options.digest_max_sleep),
      nudges_(executor, transactions, platforms_, names_, now, metrics_, options.bot.ticket_links, options.nudge_tick),
      housekeeping_(executor, transactions, now),
      finished_(executor),
      stop_requested_(executor) {
  // A schedule set or changed applies now, not when the scheduler was to look next.
  bot_.when_settings_change([this] { digests_.wake(); });
  task("digest_scheduler");
  task("nudge_scheduler");
  task("housekeeping");
}

Service::~Service() = default;

Service::Task& Service::task(std::string name) {
  auto& running = metrics_.task_running.with({name});
  auto& failures = metrics_.task_failures.with({name});
  auto& restarts = metrics_.task_restarts.with({name});
  auto& last_failure = metrics_.task_last_failure.with({name});
  TaskState state;
  state.name = std::move(name);
  tasks_.push_back(std::make_unique<Task>(Task{std::move(state), running, failures, restarts, last_failure}));
  return *tasks_.back();
}

void Service::serve(Platform& platform) {
  senders_.push_back(std::make_unique<OutboxSender>(executor_, platform, transactions_, now_, registry_));
  platforms_.add(platform, *senders_.back());
  metrics_.add_platform(platform.name());
  task("outbox_sender_" + std::string(platform.name()));
}

namespace {

// What `work` threw (its what()), or nullopt when it returned.
asio::awaitable<std::optional<std::string>> failure_of(asio::awaitable<void> work) {
  std::exception_ptr failure;
  try {
    co_await std::move(work);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!failure) co_return std::nullopt;
  co_return what_failed(failure);
}

std::string in_ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

void Service::set_status(Task& task, TaskState::Status status) {
  task.state.status = status;
  task.running.set(status == TaskState::Status::running ? 1 : 0);
}

asio::awaitable<void> Service::back_off(std::chrono::milliseconds delay) {
  // The signal wakes every waiter, for any task's stop: so look at the time again after each.
  const auto until = std::chrono::steady_clock::now() + delay;
  for (auto now = std::chrono::steady_clock::now(); !stopping_ && now < until; now = std::chrono::steady_clock::now()) {
    co_await stop_requested_.wait(until - now);
  }
}

asio::awaitable<void> Service::supervise(Task& task, std::function<asio::awaitable<void>()> work) {
  int failures_in_a_row = 0;
  for (;;) {
    set_status(task, TaskState::Status::running);
    const auto started = std::chrono::steady_clock::now();
    const auto failure = co_await failure_of(work());
    if (!failure) {
      set_status(task, TaskState::Status::stopped);
      co_return;
    }
    // The operator's time, not the calendar's: the injected clock may be what failed.
    const auto failed_at = system_clock()();
    task.state.last_failure = failed_at;
    task.last_failure.set(std::chrono::duration<double>(failed_at.time_since_epoch()).count());
    task.failures.inc();
    if (stopping_) {
      log::error("service", task.state.name + " stopped on an error while stopping: " + *failure);
      set_status(task, TaskState::Status::failed);
      co_return;
    }
    if (std::chrono::steady_clock::now() - started >= options_.restarts.healthy_after) failures_in_a_row = 0;
    const auto delay = restart_delay(options_.restarts, ++failures_in_a_row);
    log::error("service",
               task.state.name + " stopped on an error: " + *failure + "; starting it again in " + in_ms(delay));
    set_status(task, TaskState::Status::restarting);
    co_await back_off(delay);
    if (stopping_) {
      set_status(task, TaskState::Status::stopped);
      co_return;
    }
    ++task.state.restarts;
    task.restarts.inc();
  }
}

void Service::start(Task& task, std::function<asio::awaitable<void>()> work) {
  ++running_;
  set_status(task, TaskState::Status::running);
  asio::co_spawn(executor_, supervise(task, std::move(work)), [this](std::exception_ptr) {
    // supervise() lets nothing through: whatever the task throws, it catches.
    --running_;
    finished_.notify();
  });
}

asio::awaitable<void> Service::run() {
  if (!stopping_) {
    // In the order the tasks were made: the constructor's, then one per platform served.
    start(*tasks_[0], [this] { return digests_.run(); });
    start(*tasks_[1], [this] { return nudges_.run(); });
    start(*tasks_[2], [this] { return housekeeping_.run(); });
    for (std::size_t i = 0; i < senders_.size(); ++i) {
      start(*tasks_[3 + i], [sender = senders_[i].get()] { return sender->run(); });
    }
  }
  while (running_ > 0) co_await finished_.wait();
}

void Service::wake_schedulers() {
  digests_.wake();
  nudges_.wake();
  platforms_.wake_all();
}

void Service::stop() {
  stopping_ = true;
  stop_requested_.notify();
  for (auto& sender : senders_) sender->stop();
  digests_.stop();
  nudges_.stop();
  housekeeping_.stop();
}

std::vector<TaskState> Service::tasks() const {
  std::vector<TaskState> states;
  for (const auto& task : tasks_) states.push_back(task->state);
  return states;
}

asio::awaitable<void> Service::observe(std::chrono::milliseconds deadline) {
  std::vector<storage::OutboxBacklog> backlog;
  storage::Transactions::Work read = [&backlog](storage::Store& s) { backlog = s.outbox_backlog(); };
  const auto result = co_await transact(transactions_, std::move(read), deadline);
  if (!result.committed()) {
    log::debug("service", "the outbox's gauges were not read: " + result.error);
    co_return;
  }
  const auto now = now_();
  // Every platform served, and every one seen before: none pending unless the backlog says.
  for (const auto* platform : platforms_.all()) observed_platforms_.emplace(platform->name());
  for (const auto& platform : observed_platforms_) {
    metrics_.outbox_pending.with({platform}).set(0);
    metrics_.outbox_oldest.with({platform}).set(0);
  }
  for (const auto& b : backlog) {
    observed_platforms_.insert(b.platform);
    const std::chrono::duration<double> age = std::max<SysTime>(now, b.oldest) - b.oldest;
    metrics_.outbox_pending.with({b.platform}).set(static_cast<double>(b.pending));
    metrics_.outbox_oldest.with({b.platform}).set(age.count());
  }
}

}  // namespace microalign::app
