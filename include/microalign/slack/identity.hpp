// Who the bot is on Slack, from auth.test: its user id (to strip "@microalign" from mentions),
// its name (for the /invite hint) and the workspace's URL (for links to messages).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>

#include "microalign/net/signal.hpp"

namespace microalign::slack {

class WebApi;

struct Identity {
  std::string bot_user_id;
  std::string bot_name = "microalign";
  std::string workspace_url;
};

// Proves the bot token before anyone depends on it. Transient failures are retried (waiting at
// most 30 s, and not at all once `stopping` is set and `wake` notified); a rejected token ends it
// with one line for the operator. After a stop, returns an empty Identity.
boost::asio::awaitable<std::variant<Identity, std::string>> identify(WebApi&, const bool& stopping, net::Signal& wake);

}  // namespace microalign::slack
