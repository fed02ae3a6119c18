#include "microalign/storage/commit_queue.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "microalign/core/failure.hpp"
#include "microalign/storage/engine.hpp"

namespace microalign::storage {
namespace {

// A batch that collided with another transaction is run again this many times before its items
// report the conflict as their failure.
constexpr int conflict_attempts = 5;

}  // namespace

CommitQueue::CommitQueue(std::vector<Engine*> connections, std::size_t max_batch, metrics::Registry& registry)
    : connections_(std::move(connections)),
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
              .with({})) {
  if (connections_.empty()) throw std::invalid_argument("CommitQueue needs at least one connection");
  for (Engine* connection : connections_) workers_.emplace_back([this, connection] { run(*connection); });
}

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
  wake_.notify_all();
  // From a `done` callback (on a worker itself) that worker just finishes draining.
  for (auto& worker : workers_) {
    if (worker.joinable() && worker.get_id() != std::this_thread::get_id()) worker.join();
  }
}

void CommitQueue::run(Engine& connection) {
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and everything submitted is taken
      while (!pending_.empty() && batch.size() < max_batch_) {
        Item item = std::move(pending_.front());
        pending_.pop_front();
        if (item.ticket->take()) batch.push_back(std::move(item));
      }
    }
    if (!batch.empty()) commit(connection, batch);
  }
}

void CommitQueue::commit(Engine& connection, std::vector<Item>& batch) {
  std::vector<CommitOutcome> outcomes(batch.size());
  const auto started = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    try {
      try_commit(connection, batch, outcomes);
      commit_seconds_.observe(std::chrono::steady_clock::now() - started);
      batch_size_.observe(static_cast<double>(batch.size()));
      batches_ += 1;
      items_ += static_cast<std::size_t>(
          std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.ok(); }));
      break;
    } catch (...) {
      const auto failure = std::current_exception();
      try {
        connection.rollback();
      } catch (...) {
        // The next batch's BEGIN will report the connection's state.
      }
      bool conflict = false;
      try {
        std::rethrow_exception(failure);
      } catch (const StorageConflict&) {
        conflict = true;
      } catch (...) {
      }
      if (conflict && attempt < conflict_attempts) continue;  // nothing of it is stored: again
      // Nothing of this batch is durable, so every item reports the failure.
      commit_failures_.inc();
      const std::string error = what_failed(failure);
      for (auto& outcome : outcomes) outcome.error = error;
      break;
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(outcomes[i]);
  }
}

void CommitQueue::try_commit(Engine& connection, std::vector<Item>& batch, std::vector<CommitOutcome>& outcomes) {
  connection.begin();
  for (std::size_t i = 0; i < batch.size(); ++i) outcomes[i] = apply(connection, batch[i]);
  connection.commit();
}

CommitOutcome CommitQueue::apply(Engine& connection, Item& item) {
  connection.savepoint();
  try {
    item.work(connection);
  } catch (const StorageConflict&) {
    throw;  // the other transaction may wait on what earlier items hold: the whole batch goes again
  } catch (...) {
    const std::string error = what_failed(std::current_exception());
    // Some errors (I/O, disk full) make SQLite roll back the whole transaction: then there is no
    // savepoint left to return to and the batch as a whole has failed.
    if (!connection.in_transaction()) throw;
    connection.rollback_to_savepoint();
    return CommitOutcome{error};
  }
  connection.release_savepoint();
  return {};
}

}  // namespace microalign::storage
