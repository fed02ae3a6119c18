// Group commit, how every engine runs the storage port's transactions: many writes, one
// transaction. Writers hand in work; a worker thread (off the event loop) runs every pending item
// inside a single transaction, each under its own savepoint so that one failing item does not
// sink the others, then commits once and reports each item's outcome. While a commit is in
// progress new work piles up and goes into the next batch, so the cost of durability (the fsync)
// is shared by everything in flight. There is one worker per connection: SQLite has one (one
// writer at a time anyway), PostgreSQL a small pool, whose workers take batches in turn. A batch
// that collided with another transaction (StorageConflict: a deadlock with another replica) is
// run again from the start. Each batch is counted for the operator (GET /metrics): how long it
// took from BEGIN to COMMIT, how many items it held, and failed commits.
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

class Engine;

class CommitQueue final : public Transactions {
 public:
  // One worker for each connection (at least one), each connection used only by its worker.
  explicit CommitQueue(std::vector<Engine*> connections, std::size_t max_batch = 512,
                       metrics::Registry& registry = metrics::default_registry());
  explicit CommitQueue(Engine& connection, std::size_t max_batch = 512,
                       metrics::Registry& registry = metrics::default_registry())
      : CommitQueue(std::vector<Engine*>{&connection}, max_batch, registry) {}
  ~CommitQueue();  // stops after draining everything already submitted

  std::shared_ptr<Ticket> submit(Work, Done) override;

  // Stops accepting work, finishes what was submitted, joins the workers. Call it from one
  // thread; calling it from a `done` callback stops without waiting for that worker.
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
  void run(Engine&);
  void commit(Engine&, std::vector<Item>& batch);  // one transaction, then every item's `done`
  // Runs the batch in one transaction and commits it; throws when the batch as a whole failed.
  void try_commit(Engine&, std::vector<Item>& batch, std::vector<CommitOutcome>& outcomes);
  CommitOutcome apply(Engine&, Item&);  // one item under its own savepoint

  std::vector<Engine*> connections_;
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
  std::vector<std::thread> workers_;  // one per connection
};

}  // namespace microalign::storage
