// Slack's envelopes in: each slash command, event and interaction is decoded (payload fields
// checked, mrkdwn turned into rich text, the bot's own mention removed) into the application's
// neutral event and handed to the Bot with the Responder that answers it on Slack. Like Bolt's
// receivers, it decides nothing about what the bot does.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "microalign/slack/frames.hpp"
#include "microalign/slack/identity.hpp"

namespace microalign::app {
class Bot;
class Platform;
}  // namespace microalign::app

namespace microalign::slack {

class Ack;
class WebApi;

class Receiver {
 public:
  // `interactive` answers privately and opens forms; `identity` is filled in by sign-in.
  Receiver(app::Bot&, app::Platform&, WebApi& interactive, const Identity&);

  boost::asio::awaitable<void> on_envelope(Envelope, std::shared_ptr<Ack>);

 private:
  boost::asio::awaitable<void> on_slash_command(const Envelope&, const std::shared_ptr<Ack>&);
  boost::asio::awaitable<void> on_event(const Envelope&, const std::shared_ptr<Ack>&);
  boost::asio::awaitable<void> on_interactive(const Envelope&, const std::shared_ptr<Ack>&);

  app::Bot& bot_;
  app::Platform& platform_;
  WebApi& api_;
  const Identity& identity_;
};

}  // namespace microalign::slack
