#include "runtime.hpp"

#include <boost/asio/co_spawn.hpp>

namespace microalign::cli {
namespace {

namespace asio = boost::asio;

app::ServiceOptions service_options(const Config& config) {
  app::ServiceOptions options;
  options.bot.parse = config.parse;
  options.nudge_tick = config.nudge_tick;
  return options;
}

}  // namespace

Runtime::Runtime(asio::io_context& io, const Config& config, storage::Transactions& transactions, app::Clock now)
    : slack_(io.get_executor(), config.slack),
      service_(io.get_executor(), transactions, std::move(now), service_options(config)),
      service_done_(io.get_executor()) {}

Runtime::~Runtime() = default;

asio::awaitable<std::string> Runtime::run() {
  auto fatal = co_await slack_.sign_in();
  if (!fatal.empty() || stopping_) co_return fatal;
  service_.serve(slack_.platform());
  service_running_ = true;
  asio::co_spawn(co_await asio::this_coro::executor, service_.run(), [this](std::exception_ptr) {
    service_running_ = false;
    service_done_.notify();
  });
  fatal = co_await slack_.serve(service_.bot());
  // After a fatal error too: sending and scheduling end with the link.
  stopping_ = true;
  service_.stop();
  while (service_running_) co_await service_done_.wait();
  slack_.close();
  co_return fatal;
}

void Runtime::stop() {
  stopping_ = true;
  slack_.stop();
  service_.stop();
}

}  // namespace microalign::cli
