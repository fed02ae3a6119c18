// microalign on Microsoft Teams: the Bot Framework POSTs activities to /api/messages; each is
// authenticated (jwt.hpp: every rule, no switch to turn it off), de-duplicated, and decoded into
// the application's events — a message to the bot, a card's click, the bot added to a team —
// answered through Responders that reply the Teams way. What the application sends goes out
// through the TeamsPlatform. Every request is counted for the operator by the activity's type (from
// a fixed set) and what became of it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <deque>
#include <memory>
#include <set>
#include <string>

#include "microalign/app/clock.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/metrics.hpp"
#include "microalign/net/http_server.hpp"
#include "microalign/teams/jwt.hpp"

namespace microalign::app {
class Bot;
class Platform;
}  // namespace microalign::app
namespace microalign::storage {
class Transactions;
}

namespace microalign::teams {

struct Activity;
class OpenIdKeys;
class TeamsPlatform;

class Adapter {
 public:
  Adapter(boost::asio::any_io_executor, const TeamsConfig&, storage::Transactions&, app::Clock);
  ~Adapter();

  app::Platform& platform();

  // Checks the bot's credentials (a connector token) and fetches the signing keys. Returns the
  // fatal reason as one line for the operator (a refused client secret), or empty; a network
  // problem is logged and tried again on the first request.
  boost::asio::awaitable<std::string> sign_in();

  // From now on, activities go to `bot` (before, they are answered 503: Teams tries again).
  void serve(app::Bot&);

  // POST /api/messages.
  boost::asio::awaitable<net::ServerResponse> handle(net::ServerRequest);

  void stop();   // new activities are answered 503 (Teams retries them later)
  // Signed in and handing activities to the bot: the link is live (GET /readyz).
  bool serving() const { return bot_ && !stopping_; }
  void close();  // the connector's and login's connections

 private:
  // Validates the request's token for the activity; the failed rule, or nothing.
  boost::asio::awaitable<std::optional<AuthFailure>> authenticate(const net::ServerRequest&, const Activity&);
  // True the first time an activity id is seen (Teams retries slow answers): the last few
  // thousand are remembered; updates are also de-duplicated durably by their event id.
  bool first_time(const std::string& activity_id);
  boost::asio::awaitable<void> remember_route(const Activity&);
  // Hands the activity to the bot; true when it was acknowledged.
  boost::asio::awaitable<bool> dispatch(const Activity&);
  // Counts a request answered `outcome`, for an activity of `type` (as read; "" when unread).
  void count(std::string_view type, std::string_view outcome);

  const TeamsConfig& config_;
  storage::Transactions& transactions_;
  app::Clock now_;
  boost::asio::ssl::context tls_;
  TokenRules rules_;
  std::unique_ptr<OpenIdKeys> keys_;
  std::unique_ptr<TeamsPlatform> platform_;
  app::Bot* bot_ = nullptr;
  bool stopping_ = false;
  std::set<std::string> seen_;
  std::deque<std::string> seen_order_;
  metrics::Family<metrics::Counter>& activities_;  // {type, outcome}
};

}  // namespace microalign::teams
