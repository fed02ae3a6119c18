// microalign on Slack: signs in with the bot token, then serves Socket Mode, handing each
// envelope to the application through the Receiver, while the application's messages go out
// through the SlackPlatform. Owns the TLS context and the Web API connections they use.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "microalign/core/config.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/slack/identity.hpp"

namespace microalign::app {
class Bot;
class Platform;
}  // namespace microalign::app

namespace microalign::slack {

class Receiver;
class SlackPlatform;
class SocketModeLink;
class WebApi;

class Adapter {
 public:
  Adapter(boost::asio::any_io_executor, const SlackConfig&);
  ~Adapter();

  app::Platform& platform();

  // Proves the bot token (auth.test) and learns who the bot is. Returns the fatal reason as one
  // line for the operator, or empty once signed in (or stopped).
  boost::asio::awaitable<std::string> sign_in();

  // Serves Socket Mode, handing every envelope to `bot`, until stop() or a fatal error (a
  // rejected app token, Socket Mode switched off), which it returns as one line.
  boost::asio::awaitable<std::string> serve(app::Bot&);

  // Stops taking envelopes; those in flight finish and acknowledge (bounded). serve() returns.
  void stop();
  // Sockets that said hello and are not closing: the link is live when there is one (GET /readyz).
  int ready_sockets() const;
  // Closes the Web API connections: after everything that sends through them has stopped.
  void close();

 private:
  boost::asio::any_io_executor executor_;
  const SlackConfig& config_;
  boost::asio::ssl::context tls_;
  Identity identity_;
  std::unique_ptr<WebApi> api_;  // calls someone waits for: sign-in, Socket Mode URLs, answers
  std::unique_ptr<SlackPlatform> platform_;
  std::unique_ptr<Receiver> receiver_;
  std::unique_ptr<SocketModeLink> link_;
  net::Signal wake_;
  bool stopping_ = false;
};

}  // namespace microalign::slack
