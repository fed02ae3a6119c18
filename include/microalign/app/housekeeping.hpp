// Once a day (and at start) the bot forgets what it no longer needs: seen event ids after a
// week, finished outbox messages and kept interactive messages after a month.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "microalign/app/clock.hpp"
#include "microalign/net/signal.hpp"

namespace microalign::storage {
class Transactions;
}  // namespace microalign::storage

namespace microalign::app {

class Housekeeping {
 public:
  Housekeeping(boost::asio::any_io_executor, storage::Transactions&, Clock);

  boost::asio::awaitable<void> run();  // until stop()
  void stop();

 private:
  storage::Transactions& transactions_;
  Clock now_;
  net::Signal wake_;
  bool stopping_ = false;
};

}  // namespace microalign::app
