// The storage port's unit of work: a use case hands the engine a piece of work over the Store,
// the engine runs it inside a transaction (off the event loop) and says, once it is durable or
// undone, how it went. SQLite's CommitQueue groups many such pieces into one commit; another
// engine may run them on a pool of connections.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace microalign::storage {

class Store;

// Outcome of one piece of work: empty `error` means it is committed (durable).
struct CommitOutcome {
  std::string error;
  bool ok() const { return error.empty(); }
};

// A handle to submitted work, so a caller with a deadline can withdraw it if it has not started.
class Ticket {
 public:
  // True when the work was withdrawn before the engine took it: it will never run and its
  // `done` is never called. False when it is already running or finished.
  bool withdraw() { return change(queued, withdrawn); }
  // For the engine: true when it may run the work (it was not withdrawn); from then on
  // withdraw() returns false.
  bool take() { return change(queued, taken); }

 private:
  enum State { queued, taken, withdrawn };
  bool change(State from, State to) {
    int expected = from;
    return state_.compare_exchange_strong(expected, to);
  }
  std::atomic<int> state_{queued};
};

class Transactions {
 public:
  // `work` may throw: its writes are undone and its outcome carries the exception's message.
  // `done` must not throw; it runs on the engine's thread after the commit, or at once on the
  // caller's thread when the engine is stopping and refuses the work.
  using Work = std::function<void(Store&)>;
  using Done = std::function<void(const CommitOutcome&)>;

  virtual std::shared_ptr<Ticket> submit(Work, Done) = 0;

 protected:
  ~Transactions() = default;
};

// Runs `work` and waits for its outcome, blocking the calling thread: for the command line,
// which has no event loop to keep free.
CommitOutcome run_and_wait(Transactions&, Transactions::Work);

}  // namespace microalign::storage
