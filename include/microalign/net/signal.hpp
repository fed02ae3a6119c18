// A level-less wake-up for coroutines on one single-threaded io_context: waiters re-check their
// condition after every notify, so a notify with nobody waiting is simply not needed.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace microalign::net {

class Signal {
 public:
  explicit Signal(const boost::asio::any_io_executor& executor)
      : timer_(executor, boost::asio::steady_timer::time_point::max()) {}

  void notify() { timer_.cancel(); }

  // Returns after the next notify(), or after `limit`, whichever comes first.
  boost::asio::awaitable<void> wait(std::chrono::steady_clock::duration limit =
                                        std::chrono::hours(24 * 365)) {
    boost::asio::steady_timer limit_timer(timer_.get_executor(), limit);
    limit_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) timer_.cancel();
    });
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }

 private:
  boost::asio::steady_timer timer_;
};

// Sleeps for `d`, or until `wake` is notified.
inline boost::asio::awaitable<void> sleep_for(Signal& wake, std::chrono::steady_clock::duration d) {
  co_await wake.wait(d);
}

}  // namespace microalign::net
