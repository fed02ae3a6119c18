// Everything the application runs on its own, for the platforms this process serves: one
// outbox sender per platform, the digest and nudge schedulers and housekeeping, started and
// stopped together; and the Bot that platforms hand their events to.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "microalign/app/bot.hpp"
#include "microalign/app/clock.hpp"
#include "microalign/app/digests.hpp"
#include "microalign/app/housekeeping.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/nudges.hpp"
#include "microalign/app/outbox_sender.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/net/signal.hpp"

namespace microalign::app {

struct ServiceOptions {
  BotOptions bot;
  std::chrono::milliseconds digest_tick{std::chrono::seconds(30)};  // how often schedules are looked at
  std::chrono::milliseconds nudge_tick{std::chrono::minutes(5)};    // how often quiet tickets are
};

class Service {
 public:
  Service(boost::asio::any_io_executor, storage::Transactions&, Clock, ServiceOptions);
  ~Service();

  // Before run(): a platform this process serves; its outbox gets a sender.
  void serve(Platform&);
  Bot& bot() { return bot_; }

  // Runs the background work until stop(); returns once all of it has finished (what is queued
  // stays in the outbox for the next start).
  boost::asio::awaitable<void> run();
  void stop();
  // The clock moved (the sandbox's, by hand): the digest and nudge schedulers and the outbox
  // senders look now at what is due, rather than at their next tick.
  void wake_schedulers();

 private:
  boost::asio::any_io_executor executor_;
  storage::Transactions& transactions_;
  Clock now_;
  ServiceOptions options_;
  Names names_;
  Platforms platforms_;
  Bot bot_;
  std::vector<std::unique_ptr<OutboxSender>> senders_;
  DigestScheduler digests_;
  NudgeScheduler nudges_;
  Housekeeping housekeeping_;
  net::Signal finished_;
  int running_ = 0;
  bool stopping_ = false;
};

}  // namespace microalign::app
