// What `microalign run` runs: the platforms configured (Slack today), the application over
// them, and the storage engine's transactions, started together and stopped together.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <string>

#include "microalign/app/clock.hpp"
#include "microalign/app/service.hpp"
#include "microalign/core/config.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/slack/adapter.hpp"

namespace microalign::storage {
class Transactions;
}

namespace microalign::cli {

class Runtime {
 public:
  Runtime(boost::asio::io_context&, const Config&, storage::Transactions&, app::Clock = app::system_clock());
  ~Runtime();

  // Signs in, then serves until stop() or a fatal error, which it returns as one line for the
  // operator (empty after a clean stop). What is queued stays in the outbox for the next start.
  boost::asio::awaitable<std::string> run();
  void stop();

 private:
  slack::Adapter slack_;
  app::Service service_;
  net::Signal service_done_;
  bool service_running_ = false;
  bool stopping_ = false;
};

}  // namespace microalign::cli
