// Group commit, SQLite's way of running the storage port's transactions: many writes, one
// transaction. Writers hand in work; one worker thread (off the event loop) runs every pending
// item inside a single transaction, each under its own savepoint so that one failing item does
// not sink the others, then commits once and reports each item's outcome. While a commit is in
// progress new work piles up and goes into the next batch, so the cost of durability (the
// fsync) is shared by everything in flight. Each batch is counted for the operator (GET
// /metrics): how long it took from BEGIN to COMMIT, how many items it held, and failed commits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "microalign/core/metrics.hpp"
#include "microalign/storage/transactions.hpp"

namespace microalign::storage {

class SqliteStore;

class CommitQueue final : public Transactions {
 public:
  explicit CommitQueue(SqliteStore& store, std::size_t max_batch = 512,
                       metrics::Registry& registry = metrics::default_registry());
  ~CommitQueue();  // stops after draining everything already submitted

  std::shared_ptr<Ticket> submit(Work, Done) override;

  // Stops accepting work, finishes what was submitted, joins the worker. Call it from one
  // thread; calling it from a `done` callback stops without waiting.
  void stop();

  // How many batches and items have been committed (for logs and benchmarks).
  std::size_t batches() const { return batches_.load(); }
  std::size_t items() const { return items_.load(); }

 private:
  struct Item {
    Work work;
    Done done;
    std::shared_ptr<Ticket> ticket;
  };
  void run();
  void commit(std::vector<Item>& batch);  // one transaction, then every item's `done`
  CommitOutcome apply(Item&);            // one item under its own savepoint

  SqliteStore& store_;
  std::size_t max_batch_;
  // Recorded on the worker thread, read by scrapes on the event loop: atomics, resolved here.
  metrics::Histogram& commit_seconds_;
  metrics::Histogram& batch_size_;
  metrics::Counter& commit_failures_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> pending_;
  bool stopping_ = false;
  std::atomic<std::size_t> batches_{0};
  std::atomic<std::size_t> items_{0};
  std::thread worker_;
};

}  // namespace microalign::storage
