// The outbox sender against the fake Slack: pacing, Retry-After, 5xx, timeouts, permanent
// errors, and messages that were queued before a restart.
#include <catch2/catch.hpp>
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

using namespace microalign;
using namespace microalign::test;

namespace {

SysTime now() { return app::system_clock()(); }

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

}  // namespace

TEST_CASE("messages queued before a restart are sent when the sender starts", "[outbox]") {
  Outbox o;
  auto first = o.queue("C1", "one");
  auto second = o.queue("C2", "two");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 2; }));
  CHECK(eventually([&] { return o.state(first) == storage::OutboxState::sent && o.state(second) == storage::OutboxState::sent; }));
  CHECK(o.posted_texts() == std::vector<std::string>{"one", "two"});
  const auto sent = o.store->sent_message(first);
  REQUIRE(sent);
  CHECK(sent->conversation == "C1");
  CHECK(sent->ref == o.slack.posted_messages().at(0)["ts"].get<std::string>());
}

TEST_CASE("one channel gets about one message a second, and others are not held up", "[outbox]") {
  Outbox o;
  o.queue("C1", "a1");
  o.queue("C1", "a2");
  o.queue("C2", "b1");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 2; }));
  CHECK(o.posted_texts() == std::vector<std::string>{"a1", "b1"});  // a2 waits its turn
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 3; }));
  CHECK(std::chrono::steady_clock::now() - started >= 700ms);
  CHECK(o.posted_texts().back() == "a2");
}

TEST_CASE("a 429 is retried after Retry-After", "[outbox]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply::rate_limited(1s));
  auto id = o.queue("C1", "patience");
  const auto started = std::chrono::steady_clock::now();
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::sent; }, 5s));
  CHECK(std::chrono::steady_clock::now() - started >= 1s);
  CHECK(o.slack.calls("chat.postMessage").size() == 2);
}

TEST_CASE("5xx and timeouts are retried with backoff", "[outbox]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply{503, {}, "upstream trouble", 0ms});
  Reply slow = Reply::json({{"ok", true}, {"ts", "1.000001"}});
  slow.delay = 1500ms;  // longer than the 500 ms the test allows a call
  o.slack.reply_next("chat.postMessage", slow);
  auto id = o.queue("C1", "persistence");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::sent; }, 10s));
  CHECK(o.slack.calls("chat.postMessage").size() == 3);
}

TEST_CASE("a permanent error fails the message, visibly, and tells whoever configured the channel",
          "[outbox]") {
  Outbox o;
  o.slack.reply_next("chat.postMessage", Reply::error("not_in_channel"));
  auto id = o.queue("C9", "digest", "U777");
  SenderHarness sender(o.config);
  REQUIRE(eventually([&] { return o.state(id) == storage::OutboxState::failed; }));
  REQUIRE(eventually([&] { return o.slack.posted_messages().size() == 1; }));
  const auto note = o.slack.posted_messages().at(0);
  CHECK(note["channel"] == "DU777");  // the bot's direct conversation with that person
  CHECK(note["text"].get<std::string>().find("/invite @microalign") != std::string::npos);
  std::this_thread::sleep_for(300ms);
  CHECK(o.slack.calls("chat.postMessage").size() == 2);  // never retried
}
