// The application's messages on Slack: each outbox message rendered as Block Kit and sent with
// the Web API (chat.postMessage, chat.update, a response_url), direct conversations opened with
// conversations.open, people looked up with users.info, links made to messages.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "microalign/app/platform.hpp"
#include "microalign/core/config.hpp"
#include "microalign/slack/identity.hpp"

namespace microalign::slack {

class WebApi;

class SlackPlatform final : public app::Platform {
 public:
  // `identity` is filled in by sign-in before anything is sent. `interactive` is the adapter's
  // connection for calls someone waits for (lookups before an acknowledgement among them).
  SlackPlatform(boost::asio::any_io_executor, boost::asio::ssl::context&, const SlackConfig&, const Identity& identity,
                WebApi& interactive);
  ~SlackPlatform() override;

  std::string_view name() const override { return "slack"; }
  CommandSpelling spelling() const override { return slash_commands(identity_.bot_name); }
  app::MessageLimits limits() const override;
  std::chrono::milliseconds answer_within() const override { return config_.ack_deadline; }

  boost::asio::awaitable<app::SendOutcome> send(const storage::OutboxMessage&, const std::string& conversation,
                                                const std::optional<storage::SentMessage>& parent) override;
  boost::asio::awaitable<app::SendOutcome> open_direct(const std::string& team, const std::string& user) override;
  boost::asio::awaitable<app::PersonInfo> look_up(const std::string& team, const std::string& user,
                                                  std::chrono::milliseconds timeout, Urgency) override;
  std::string link_to(const Update&) const override;

  void close();

 private:
  const SlackConfig& config_;
  const Identity& identity_;
  // A kept-alive connection each, so that nothing waits behind another's slow call: the
  // sender's posts, and background lookups (never ahead of an acknowledgement or a post).
  WebApi& interactive_;
  std::unique_ptr<WebApi> sends_;
  std::unique_ptr<WebApi> background_;
};

}  // namespace microalign::slack
