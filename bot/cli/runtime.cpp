#include "runtime.hpp"

#include "database.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/this_coro.hpp>

#include "microalign/core/failure.hpp"
#include "microalign/core/log.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/sandbox/adapter.hpp"
#include "microalign/slack/adapter.hpp"
#include "microalign/teams/adapter.hpp"
#include "microalign/trackers/webhook_endpoint.hpp"

namespace microalign::cli {
namespace {

namespace asio = boost::asio;

app::ServiceOptions service_options(const Config& config) {
  app::ServiceOptions options;
  options.bot.parse = config.parse;
  options.bot.ticket_links = config.trackers.homes;
  options.nudge_tick = config.nudge_tick;
  return options;
}

// The page's address for people to open: the listener's host (a wildcard one reached on loopback)
// and the port it got.
std::string page_address(const std::string& http_addr, std::uint16_t port) {
  auto host = http_addr.substr(0, http_addr.rfind(':'));
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return "http://" + host + ":" + std::to_string(port) + "/";
}

// " (webhooks: /webhooks/github, /webhooks/jira)": the trackers whose secret is set.
std::string webhooks_listed(const TrackersConfig& trackers) {
  std::string paths;
  for (const auto& webhook : tracker_webhooks) {
    if (!(trackers.*webhook.secret).empty()) paths += (paths.empty() ? "" : ", ") + std::string(webhook.path);
  }
  return paths.empty() ? "" : " (webhooks: " + paths + ")";
}

net::HttpServerLimits listener_limits() {
  net::HttpServerLimits limits;
  limits.larger_bodies = {
      {std::string(trackers::WebhookEndpoint::path_prefix), trackers::WebhookEndpoint::max_delivery_bytes}};
  return limits;
}

}  // namespace

Runtime::Runtime(asio::io_context& io, const Config& config, storage::Transactions& transactions, app::Clock now)
    : executor_(io.get_executor()),
      config_(config),
      transactions_(transactions),
      service_(io.get_executor(), transactions, now, service_options(config)),
      changed_(io.get_executor()) {
  if (slack_enabled(config)) slack_ = std::make_unique<slack::Adapter>(io.get_executor(), config.slack);
  if (config.teams.enabled()) {
    teams_ = std::make_unique<teams::Adapter>(io.get_executor(), config.teams, transactions, now);
  }
  webhooks_ = std::make_unique<trackers::WebhookEndpoint>(config.trackers, config.parse, service_.trackers(), now);
  // Always: Teams and the trackers post to it, and the operator's health and metrics endpoints
  // are on it.
  http_ = std::make_unique<net::HttpServer>(io.get_executor(), listener_limits(),
                                            [this](net::ServerRequest r) { return route(std::move(r)); });
}

Runtime::Runtime(asio::io_context& io, const Config& config, storage::Transactions& transactions,
                 sandbox::Adapter& sandbox)
    : Runtime(io, config, transactions, sandbox.clock()) {
  sandbox_ = &sandbox;
}

Runtime::~Runtime() = default;

std::uint16_t Runtime::http_port() const { return http_->port(); }

asio::awaitable<net::ServerResponse> Runtime::route(net::ServerRequest request) {
  if (is_operator_endpoint(request.target)) co_return co_await operator_endpoint(std::move(request));
  if (teams_ && request.target == "/api/messages") co_return co_await teams_->handle(std::move(request));
  if (trackers::WebhookEndpoint::serves(request.target)) co_return co_await webhooks_->handle(std::move(request));
  if (sandbox_ && sandbox::Adapter::serves(request.target)) co_return co_await sandbox_->handle(std::move(request));
  net::ServerResponse not_found;
  not_found.status = 404;
  co_return not_found;
}

void Runtime::start(asio::awaitable<void> task) {
  ++running_;
  asio::co_spawn(executor_, std::move(task), [this](std::exception_ptr failure) {
    if (failure) log::error("main", "a background task stopped on an error: " + what_failed(failure));
    --running_;
    changed_.notify();
  });
}

asio::awaitable<std::string> Runtime::run() {
  std::string fatal;
  if (slack_) fatal = co_await slack_->sign_in();
  if (fatal.empty() && teams_ && !stopping_) fatal = co_await teams_->sign_in();
  if (!fatal.empty() || stopping_) co_return fatal;
  if (const auto refused = http_->listen(config_.http_addr); !refused.empty()) {
    co_return "MICROALIGN_HTTP_ADDR: cannot listen on " + refused;
  }
  log::info("main", "listening on http://" + config_.http_addr + (teams_ ? " (Teams: /api/messages)" : "") +
                        webhooks_listed(config_.trackers));
  start(http_->run());

  if (slack_) service_.serve(slack_->platform());
  if (teams_) {
    service_.serve(teams_->platform());
    teams_->serve(service_.bot());
  }
  if (sandbox_) {
    service_.serve(sandbox_->platform());
    sandbox_->serve(service_.bot(), [this] { service_.wake_schedulers(); });
    log::info("microalign sandbox", "open " + page_address(config_.http_addr, http_->port()) + " in your browser");
  }
  start(service_.run());
  if (slack_) {
    fatal = co_await slack_->serve(service_.bot());
  } else {
    while (!stopping_) co_await changed_.wait();
  }
  // After a fatal error too: every platform and the background work end together.
  stop();
  while (running_ > 0) co_await changed_.wait();
  if (slack_) slack_->close();
  if (teams_) teams_->close();
  co_return fatal;
}

void Runtime::stop() {
  stopping_ = true;
  if (slack_) slack_->stop();
  if (teams_) teams_->stop();
  if (sandbox_) sandbox_->stop();
  http_->stop();
  service_.stop();
  changed_.notify();
}

int serve_until_signalled(const Config& config, const MakeRuntime& make) {
  log::set_level(config.log_level);
  log::set_format(config.log_format);
  log::debug("config", describe(config));
  std::unique_ptr<Database> database;
  try {
    database = std::make_unique<Database>(config);
  } catch (const storage::StorageError& e) {
    log::error("storage", e.what());
    return 1;
  }
  log::info("storage",
            "database " + database->name() + " at schema version " + std::to_string(database->schema_version()));
  auto& commits = database->commits();
  asio::io_context io(1);
  const auto runtime = make(io, commits);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec, int) {
    if (ec) return;
    log::info("main", "stopping: finishing updates in flight (signal again to exit at once)");
    runtime->stop();
    signals.async_wait([&](boost::system::error_code ec2, int) {
      if (ec2) return;
      log::warn("main", "second signal: exiting now");
      io.stop();
    });
  };
  signals.async_wait(on_signal);

  std::string fatal;
  asio::co_spawn(io, runtime->run(), [&](std::exception_ptr failure, std::string result) {
    if (failure) result = "internal error: " + what_failed(failure);
    fatal = std::move(result);
    signals.cancel();
  });
  io.run();
  commits.stop();
  if (!fatal.empty()) {
    log::error("main", fatal);
    return 1;
  }
  log::info("main", "stopped cleanly");
  return 0;
}

}  // namespace microalign::cli
