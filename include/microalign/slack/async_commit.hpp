// Awaiting the storage worker from the event loop, with a deadline: Slack needs its ack within
// 3 seconds, and a write that has not even started by then is withdrawn, so that "not saved"
// is always true when we say it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "microalign/storage/transactions.hpp"

namespace microalign::slack {

struct CommitResult {
  enum class Status { committed, failed, withdrawn } status;
  std::string error;  // for failed / withdrawn
  bool committed() const { return status == Status::committed; }
};

// Runs `work` in the next group commit. At `deadline`, a write still queued is withdrawn
// (result `withdrawn`); one already running is waited for, since it is about to finish anyway.
boost::asio::awaitable<CommitResult> commit(storage::Transactions&, storage::Transactions::Work,
                                            std::chrono::milliseconds deadline);

}  // namespace microalign::slack

namespace microalign::slack {

// Runs `read` on the storage thread (in the next batch) and returns what it returned; nullopt
// when storage failed. For the short reads the sender and scheduler make: they stay off the loop.
template <typename T>
boost::asio::awaitable<std::optional<T>> query(storage::Transactions& queue, std::function<T(storage::Store&)> read) {
  std::optional<T> result;
  storage::Transactions::Work work = [&result, &read](storage::Store& s) { result = read(s); };
  auto outcome = co_await commit(queue, std::move(work), std::chrono::seconds(30));
  if (!outcome.committed()) co_return std::nullopt;
  co_return result;
}

}  // namespace microalign::slack
