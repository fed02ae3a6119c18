// Runs what `microalign run` runs (the Slack adapter's Web API client and Socket Mode link, the
// application, the commit queue over SQLite) on its own io_context thread against a FakeSlack,
// and lets the test read the database it writes.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "fake_slack.hpp"
#include "microalign/core/config.hpp"
#include "cli/runtime.hpp"
#include "microalign/app/clock.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/storage/sqlite_store.hpp"

namespace microalign::test {

using namespace std::chrono_literals;

// A private temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("microalign-it-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline Config config_for(const FakeSlack& slack, const std::filesystem::path& db) {
  Config c;
  c.slack.app_token = Secret(FakeSlack::Options{}.app_token);
  c.slack.bot_token = Secret(FakeSlack::Options{}.bot_token);
  c.slack.api_url = slack.api_url();
  c.slack.dead_link_after = 2s;  // Slack's SDKs use 30 s; tests should not wait that long
  c.slack.backoff_cap = 2s;
  c.db_path = db.string();
  c.http_addr = "127.0.0.1:0";  // any free port: tests run side by side
  return c;
}

// Polls `condition` until it holds or `limit` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 3s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

class BotHarness {
 public:
  explicit BotHarness(Config config, app::Clock clock = app::system_clock())
      : config_(std::move(config)) {
    // MICROALIGN_LOG=debug shows the bot's own log lines while a test runs.
    if (auto level = process_environment()("MICROALIGN_LOG")) log::set_level(log::level_from_string(*level).value_or(log::Level::warn));
    else log::set_level(log::Level::warn);
    store_ = storage::SqliteStore::open(config_.db_path);
    commits_ = std::make_unique<storage::CommitQueue>(*store_);
    app_ = std::make_unique<cli::Runtime>(io_, config_, *commits_, std::move(clock));
    boost::asio::co_spawn(io_, app_->run(), [this](std::exception_ptr e, std::string fatal) {
      if (e) fatal = "exception escaped App::run";
      result_.set_value(std::move(fatal));
    });
    thread_ = std::thread([this] { io_.run(); });
  }

  ~BotHarness() { stop(); }

  // Asks the app to stop cleanly and returns what run() returned (empty: clean stop).
  std::string stop() {
    if (!stopped_) {
      stopped_ = true;
      boost::asio::post(io_, [this] { app_->stop(); });
      outcome_ = result_future_.get();
      thread_.join();
      commits_->stop();
    }
    return outcome_;
  }

  // Waits for run() to return on its own (a fatal error), up to `limit`.
  std::optional<std::string> wait_for_exit(std::chrono::milliseconds limit) {
    if (result_future_.wait_for(limit) != std::future_status::ready) return std::nullopt;
    stopped_ = true;
    outcome_ = result_future_.get();
    thread_.join();
    commits_->stop();
    return outcome_;
  }

  // The HTTP listener's port (Teams' /api/messages), once the bot listens: MICROALIGN_HTTP_ADDR
  // of 127.0.0.1:0 lets it pick a free one.
  std::uint16_t http_port() const {
    std::uint16_t port = 0;
    eventually([&] { return (port = app_->http_port()) != 0; }, 5s);
    return port;
  }

  // A separate connection to the same database, as another process would have.
  std::unique_ptr<storage::SqliteStore> reader() const { return storage::SqliteStore::open(config_.db_path); }

  std::vector<Update> updates() const { return reader()->updates({}); }

 private:
  Config config_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::CommitQueue> commits_;
  boost::asio::io_context io_;
  std::unique_ptr<cli::Runtime> app_;
  std::promise<std::string> result_;
  std::future<std::string> result_future_ = result_.get_future();
  std::thread thread_;
  bool stopped_ = false;
  std::string outcome_;
};

using app::clock_starting_at;

}  // namespace microalign::test
