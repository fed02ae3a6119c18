// Awaiting the storage port from the event loop, with a deadline: a platform wants its
// acknowledgement within seconds, and a write that has not even started by then is withdrawn,
// so that "not saved" is always true when the bot says it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "microalign/storage/transactions.hpp"

namespace microalign::app {

struct CommitResult {
  enum class Status { committed, failed, withdrawn } status;
  std::string error;  // for failed / withdrawn
  bool committed() const { return status == Status::committed; }
};

// Runs `work` in a transaction. At `deadline`, work still queued is withdrawn (result
// `withdrawn`); work already running is waited for, since it is about to finish anyway.
boost::asio::awaitable<CommitResult> transact(storage::Transactions&, storage::Transactions::Work,
                                              std::chrono::milliseconds deadline);

// Whether the engine can write now: an empty transaction (SQLite's BEGIN IMMEDIATE takes the write
// lock). Unlike transact(), which waits for work that has started, this answers by `deadline`
// whatever the engine is doing: for GET /readyz. Empty when it committed; else why not.
boost::asio::awaitable<std::string> probe_write(storage::Transactions&, std::chrono::milliseconds deadline);

// Runs `read` in a transaction and returns what it returned; nullopt when storage failed, and
// then why in `*failure` when given. For the short reads of the sender and the schedulers: they
// stay off the event loop.
template <typename T>
boost::asio::awaitable<std::optional<T>> query(storage::Transactions& transactions,
                                               std::function<T(storage::Store&)> read, std::string* failure = nullptr) {
  std::optional<T> result;
  storage::Transactions::Work work = [&result, &read](storage::Store& s) { result = read(s); };
  auto outcome = co_await transact(transactions, std::move(work), std::chrono::seconds(30));
  if (!outcome.committed()) {
    if (failure) *failure = outcome.error;
    co_return std::nullopt;
  }
  co_return result;
}

}  // namespace microalign::app
