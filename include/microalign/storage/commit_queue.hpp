// Group commit: many writes, one transaction. Writers hand in work; one worker thread (off the
// event loop) runs every pending item inside a single transaction, each under its own savepoint
// so that one failing item does not sink the others, then commits once and reports each item's
// outcome. While a commit is in progress new work piles up and goes into the next batch, so the
// cost of durability (the fsync) is shared by everything in flight.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace microalign::storage {

class Store;

// Outcome of one queued write: empty `error` means it is committed (durable).
struct CommitOutcome {
  std::string error;
  bool ok() const { return error.empty(); }
};

class CommitQueue {
 public:
  // `work` may throw: its writes are undone and its outcome carries the exception's message.
  // `done` must not throw. It runs on the worker thread, after the commit, except when submit()
  // is refused after stop(): then it runs at once on the caller's thread.
  using Work = std::function<void(Store&)>;                   // runs on the worker thread
  using Done = std::function<void(const CommitOutcome&)>;     // runs on the worker thread

  // A handle to a queued write, so a caller with a deadline can withdraw it if it has not started.
  class Ticket {
   public:
    // True when the write was withdrawn before the worker took it: it will never run and its
    // `done` is never called. False when it is already running or finished.
    bool withdraw();

   private:
    friend class CommitQueue;
    std::atomic<int> state_{0};  // 0 queued, 1 taken by the worker, 2 withdrawn
  };

  explicit CommitQueue(Store& store, std::size_t max_batch = 512);
  ~CommitQueue();  // stops after draining everything already submitted

  std::shared_ptr<Ticket> submit(Work, Done);

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

  Store& store_;
  std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> pending_;
  bool stopping_ = false;
  std::atomic<std::size_t> batches_{0};
  std::atomic<std::size_t> items_{0};
  std::thread worker_;
};

}  // namespace microalign::storage
