#include "microalign/storage/commit_queue.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <vector>

#include "microalign/storage/sqlite_store.hpp"

namespace microalign::storage {
namespace {

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace

CommitQueue::CommitQueue(SqliteStore& store, std::size_t max_batch, metrics::Registry& registry)
    : store_(store),
      max_batch_(std::max<std::size_t>(max_batch, 1)),
      commit_seconds_(registry
                          .histogram("microalign_storage_commit_seconds",
                                     "Time from BEGIN to COMMIT of one group commit (a batch of writes), in seconds.",
                                     metrics::buckets::commit())
                          .with({})),
      batch_size_(registry
                      .histogram("microalign_storage_batch_size", "Pieces of work that shared one group commit.",
                                 metrics::buckets::batch())
                      .with({})),
      commit_failures_(
          registry.counter("microalign_storage_commit_failures_total", "Group commits that failed and were undone.")
              .with({})),
      worker_([this] { run(); }) {}

CommitQueue::~CommitQueue() { stop(); }

std::shared_ptr<Ticket> CommitQueue::submit(Work work, Done done) {
  auto ticket = std::make_shared<Ticket>();
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      pending_.push_back({std::move(work), std::move(done), ticket});
      wake_.notify_one();
      return ticket;
    }
  }
  ticket->take();  // finished: withdrawing it now must report false
  if (done) done(CommitOutcome{"storage is shutting down"});
  return ticket;
}

void CommitQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  // From a `done` callback (on the worker itself) the worker just finishes draining.
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
}

void CommitQueue::run() {
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and everything submitted is done
      while (!pending_.empty() && batch.size() < max_batch_) {
        Item item = std::move(pending_.front());
        pending_.pop_front();
        if (item.ticket->take()) batch.push_back(std::move(item));
      }
    }
    if (!batch.empty()) commit(batch);
  }
}

void CommitQueue::commit(std::vector<Item>& batch) {
  std::vector<CommitOutcome> outcomes(batch.size());
  const auto started = std::chrono::steady_clock::now();
  try {
    store_.begin();
    for (std::size_t i = 0; i < batch.size(); ++i) outcomes[i] = apply(batch[i]);
    store_.commit();
    commit_seconds_.observe(std::chrono::steady_clock::now() - started);
    batch_size_.observe(static_cast<double>(batch.size()));
    batches_ += 1;
    items_ +=
        static_cast<std::size_t>(std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.ok(); }));
  } catch (...) {
    // Nothing of this batch is durable, so every item reports the failure.
    commit_failures_.inc();
    const std::string error = describe(std::current_exception());
    try {
      store_.rollback();
    } catch (...) {
      // The next batch's BEGIN will report the connection's state.
    }
    for (auto& outcome : outcomes) outcome.error = error;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(outcomes[i]);
  }
}

CommitOutcome CommitQueue::apply(Item& item) {
  store_.savepoint();
  try {
    item.work(store_);
  } catch (...) {
    const std::string error = describe(std::current_exception());
    // Some errors (I/O, disk full) make SQLite roll back the whole transaction: then there is no
    // savepoint left to return to and the batch as a whole has failed.
    if (!store_.in_transaction()) throw;
    store_.rollback_to_savepoint();
    return CommitOutcome{error};
  }
  store_.release_savepoint();
  return {};
}

}  // namespace microalign::storage
