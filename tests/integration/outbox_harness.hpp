// The application's sender of Slack's outbox against the fake Slack, for the outbox's own tests
// and for the Web API's faults (api_faults_test.cpp).
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "bot_harness.hpp"
#include "microalign/app/outbox_sender.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/slack/slack_platform.hpp"
#include "microalign/slack/web_api.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/outbox.hpp"

namespace microalign::test {

inline SysTime now() { return app::system_clock()(); }

// The application's sender of Slack's outbox on its own event loop thread, with its own database
// connection; the test queues messages through a second connection, as the rest of the bot would.
class SenderHarness {
 public:
  explicit SenderHarness(const Config& config) : config_(config) {
    store_ = storage::SqliteStore::open(config_.db_path);
    commits_ = std::make_unique<storage::CommitQueue>(*store_);
    api_ = std::make_unique<slack::WebApi>(io_.get_executor(), tls_, config_.slack);
    platform_ = std::make_unique<slack::SlackPlatform>(io_.get_executor(), tls_, config_.slack, identity_, *api_);
    sender_ = std::make_unique<app::OutboxSender>(io_.get_executor(), *platform_, *commits_, &now);
    boost::asio::co_spawn(io_, sender_->run(), [this](std::exception_ptr) {
      api_->close();
      platform_->close();
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~SenderHarness() {
    boost::asio::post(io_, [this] { sender_->stop(); });
    thread_.join();
    commits_->stop();
  }
  void wake() {
    boost::asio::post(io_, [this] { sender_->wake(); });
  }

 private:
  Config config_;
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_ = net::make_client_tls_context();
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::CommitQueue> commits_;
  slack::Identity identity_;
  std::unique_ptr<slack::WebApi> api_;
  std::unique_ptr<slack::SlackPlatform> platform_;
  std::unique_ptr<app::OutboxSender> sender_;
  std::thread thread_;
};

struct Outbox {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");
  std::unique_ptr<storage::SqliteStore> store;

  Outbox() {
    pki.trust();
    config.slack.api_timeout = 500ms;
    store = storage::SqliteStore::open(config.db_path);
  }

  std::int64_t queue(const std::string& channel, const std::string& text, const std::string& notify = {}) {
    storage::OutboxMessage m;
    m.platform = "slack";
    m.team = "T111";
    m.destination = channel;
    m.message.fallback = text;
    m.message.blocks.emplace_back(Section{{plain(text)}});
    m.notify_on_failure = notify;
    m.created_at = now();
    m.not_before = now();
    store->begin();
    auto id = store->enqueue(m);
    store->commit();
    return id;
  }

  std::optional<storage::OutboxState> state(std::int64_t id) { return store->outbox_state(id); }

  std::vector<std::string> posted_texts() const {
    std::vector<std::string> texts;
    for (const auto& m : slack.posted_messages()) texts.push_back(m.value("text", std::string{}));
    return texts;
  }
};

}  // namespace microalign::test
