// What the application does with the trackers' activity (GitHub, Jira, Linear webhooks, decoded
// by their adapter): stores it once, on every ticket it names, so that a ticket moving in its
// tracker is not quiet, and one closed or merged there is done.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "microalign/app/clock.hpp"
#include "microalign/core/tracker_activity.hpp"

namespace microalign::storage {
class Transactions;
}

namespace microalign::app {

class Trackers {
 public:
  enum class Recorded {
    stored,
    replay,  // this delivery was stored before: nothing written
    failed,  // storage did not take it in time: the tracker should deliver it again
  };

  Trackers(storage::Transactions&, Clock);

  // Within `deadline` (trackers wait ~10 s for an answer, then count the delivery failed). A time
  // ahead of our clock is taken as now: activity never ends a ticket's quiet period in the future.
  boost::asio::awaitable<Recorded> record(TrackerActivity, std::chrono::milliseconds deadline);

 private:
  storage::Transactions& transactions_;
  Clock now_;
};

}  // namespace microalign::app
