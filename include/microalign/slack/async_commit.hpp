// Awaiting the storage worker from the event loop, with a deadline: Slack needs its ack within
// 3 seconds, and a write that has not even started by then is withdrawn, so that "not saved"
// is always true when we say it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "microalign/storage/commit_queue.hpp"

namespace microalign::slack {

struct CommitResult {
  enum class Status { committed, failed, withdrawn } status;
  std::string error;  // for failed / withdrawn
  bool committed() const { return status == Status::committed; }
};

// Runs `work` in the next group commit. At `deadline`, a write still queued is withdrawn
// (result `withdrawn`); one already running is waited for, since it is about to finish anyway.
boost::asio::awaitable<CommitResult> commit(storage::CommitQueue&, storage::CommitQueue::Work,
                                            std::chrono::milliseconds deadline);

}  // namespace microalign::slack
