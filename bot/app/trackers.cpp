#include "microalign/app/trackers.hpp"

#include <algorithm>

#include "microalign/app/transact.hpp"
#include "microalign/core/log.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {

Trackers::Trackers(storage::Transactions& transactions, Clock now) : transactions_(transactions), now_(now) {}

boost::asio::awaitable<Trackers::Recorded> Trackers::record(TrackerActivity activity,
                                                            std::chrono::milliseconds deadline) {
  const auto now = now_();
  activity.at = std::min(activity.at, now);
  bool stored = false;
  const auto done = co_await transact(
      transactions_, [&](storage::Store& s) { stored = s.record_tracker_activity(activity); }, deadline);
  if (!done.committed()) {
    log::error("trackers", "could not store " + std::string(to_string(activity.tracker)) + " delivery " +
                               activity.delivery_id + ": " + done.error);
    co_return Recorded::failed;
  }
  co_return stored ? Recorded::stored : Recorded::replay;
}

}  // namespace microalign::app
