#include "microalign/app/housekeeping.hpp"

#include <functional>

#include "microalign/app/transact.hpp"
#include "microalign/core/log.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;

// Replicas on one database take turns: each batch runs only where no other replica's batch is
// under way (Store::claim_job). Old rows go a batch per commit, so that a large backlog (the first run on an old
// database) never holds the writer for long: 1,000 outbox rows take about 25 ms, 1,000 kept messages (2 kB each,
// overwritten by SQLite's secure_delete) about 100-230 ms. Returns how many went; stops at a short batch, a failed
// commit, or on stop.
using Forget = std::function<std::size_t(storage::Store&, std::size_t limit)>;
constexpr std::size_t forget_batch = 1'000;

asio::awaitable<std::size_t> forget_in_batches(storage::Transactions& transactions, const bool& stopping,
                                               Forget forget) {
  std::size_t total = 0;
  for (std::size_t forgotten = forget_batch; forgotten == forget_batch && !stopping;) {
    forgotten = 0;
    storage::Transactions::Work batch = [&](storage::Store& s) {
      // Another replica at it already: it goes on with this (a short batch ends this run).
      forgotten = s.claim_job("housekeeping") ? forget(s, forget_batch) : 0;
    };
    const auto done = co_await transact(transactions, std::move(batch), std::chrono::seconds(30));
    if (!done.committed()) {
      log::warn("storage", "housekeeping stopped for today: " + done.error);
      break;
    }
    total += forgotten;
  }
  co_return total;
}

}  // namespace

Housekeeping::Housekeeping(asio::any_io_executor executor, storage::Transactions& transactions, Clock now)
    : transactions_(transactions), now_(std::move(now)), wake_(executor) {}

void Housekeeping::stop() {
  stopping_ = true;
  wake_.notify();
}

// Platforms redeliver an event within minutes of the first attempt; a week of seen event ids is
// ample to recognise every retry, and pruning daily keeps the table small. Sent messages and
// nudge DMs as they read serve for a few days (threads, answers to a DM); after a month they
// only take room.
asio::awaitable<void> Housekeeping::run() {
  while (!stopping_) {
    const SysTime now = now_();
    storage::Transactions::Work prune = [cutoff = now - std::chrono::days(7)](storage::Store& s) {
      if (s.claim_job("housekeeping")) s.prune_seen_events(cutoff);
    };
    co_await transact(transactions_, std::move(prune), std::chrono::seconds(30));
    const SysTime month_ago = now - std::chrono::days(30);
    Forget forget_messages = [month_ago](storage::Store& s, std::size_t limit) {
      return s.prune_outbox(month_ago, limit);
    };
    Forget forget_dms = [month_ago](storage::Store& s, std::size_t limit) {
      return s.forget_interactive_messages(month_ago, limit);
    };
    const auto messages = co_await forget_in_batches(transactions_, stopping_, std::move(forget_messages));
    const auto dms = co_await forget_in_batches(transactions_, stopping_, std::move(forget_dms));
    if (messages + dms > 0) {
      log::info("storage", "forgot " + std::to_string(messages) + " finished messages and " + std::to_string(dms) +
                               " nudge DMs as they read, all over 30 days old");
    }
    if (stopping_) break;  // stop() may have come while pruning
    co_await wake_.wait(std::chrono::hours(24));
  }
}

}  // namespace microalign::app
