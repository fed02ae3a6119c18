#include "microalign/app/service.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <string>

#include "microalign/app/transact.hpp"
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
      digests_(executor, transactions, platforms_, names_, now, metrics_, options.digest_tick),
      nudges_(executor, transactions, platforms_, names_, now, metrics_, options.nudge_tick),
      housekeeping_(executor, transactions, now),
      finished_(executor) {
  task("digest_scheduler");
  task("nudge_scheduler");
  task("housekeeping");
}

Service::~Service() = default;

Service::Task& Service::task(std::string name) {
  auto& running = metrics_.task_running.with({name});
  auto& failures = metrics_.task_failures.with({name});
  tasks_.push_back(std::make_unique<Task>(Task{{std::move(name), TaskState::Status::not_started}, running, failures}));
  return *tasks_.back();
}

void Service::serve(Platform& platform) {
  senders_.push_back(std::make_unique<OutboxSender>(executor_, platform, transactions_, now_, registry_));
  platforms_.add(platform, *senders_.back());
  metrics_.add_platform(platform.name());
  task("outbox_sender_" + std::string(platform.name()));
}

asio::awaitable<void> Service::run() {
  const auto start = [this](Task& task, asio::awaitable<void> work) {
    ++running_;
    task.state.status = TaskState::Status::running;
    task.running.set(1);
    asio::co_spawn(executor_, std::move(work), [this, &task](std::exception_ptr failure) {
      task.state.status = TaskState::Status::stopped;
      if (failure) {
        task.state.status = TaskState::Status::failed;
        task.failures.inc();
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& e) {
          log::error("service", task.state.name + " stopped on an error: " + e.what());
        }
      }
      task.running.set(0);
      --running_;
      finished_.notify();
    });
  };
  if (!stopping_) {
    // In the order the tasks were made: the constructor's, then one per platform served.
    start(*tasks_[0], digests_.run());
    start(*tasks_[1], nudges_.run());
    start(*tasks_[2], housekeeping_.run());
    for (std::size_t i = 0; i < senders_.size(); ++i) start(*tasks_[3 + i], senders_[i]->run());
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
