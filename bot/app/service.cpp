#include "microalign/app/service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <string>

#include "microalign/core/log.hpp"

namespace microalign::app {

namespace asio = boost::asio;

Service::Service(asio::any_io_executor executor, storage::Transactions& transactions, Clock now,
                 ServiceOptions options)
    : executor_(executor),
      transactions_(transactions),
      now_(now),
      options_(options),
      bot_(transactions, now, options.bot, names_, platforms_),
      digests_(executor, transactions, platforms_, names_, now, options.digest_tick),
      nudges_(executor, transactions, platforms_, names_, now, options.nudge_tick),
      housekeeping_(executor, transactions, now),
      finished_(executor) {}

Service::~Service() = default;

void Service::serve(Platform& platform) {
  senders_.push_back(std::make_unique<OutboxSender>(executor_, platform, transactions_, now_));
  platforms_.add(platform, *senders_.back());
}

asio::awaitable<void> Service::run() {
  const auto start = [this](const char* name, asio::awaitable<void> task) {
    ++running_;
    asio::co_spawn(executor_, std::move(task), [this, name](std::exception_ptr failure) {
      if (failure) {
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& e) {
          log::error("service", std::string(name) + " stopped on an error: " + e.what());
        }
      }
      --running_;
      finished_.notify();
    });
  };
  if (!stopping_) {
    for (auto& sender : senders_) start("the outbox sender", sender->run());
    start("the digest scheduler", digests_.run());
    start("the nudge scheduler", nudges_.run());
    start("housekeeping", housekeeping_.run());
  }
  while (running_ > 0) co_await finished_.wait();
}

void Service::wake_schedulers() {
  digests_.wake();
  nudges_.wake();
  platforms_.wake_all();
}

void Service::stop() {
  stopping_ = true;
  for (auto& sender : senders_) sender->stop();
  digests_.stop();
  nudges_.stop();
  housekeeping_.stop();
}

}  // namespace microalign::app
