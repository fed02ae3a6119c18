// The bot's own token for the Bot Connector: the OAuth client-credentials grant at
// <ToChannelFromBotLoginUrl>/oauth2/v2.0/token with scope https://api.botframework.com/.default,
// cached and refreshed five minutes before it expires. The secret goes only into that form post;
// neither it nor the token ever reaches a log line or an error.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "microalign/core/config.hpp"
#include "microalign/core/model.hpp"

namespace microalign::teams {

struct TokenError {
  std::string reason;      // "HTTP 401 (invalid_client)", "timed out" — never the secret
  bool transient = false;  // worth trying again later (network, 5xx, 429)
};

class TokenClient {
 public:
  using Clock = std::function<SysTime()>;

  TokenClient(boost::asio::any_io_executor, boost::asio::ssl::context&, const TeamsConfig&, Clock);
  ~TokenClient();

  // "Bearer <token>" for the connector: cached while it has more than five minutes left, else
  // fetched (concurrent callers share one fetch, and its error). Errors are not cached: the next
  // call tries again. The request is bounded by config.api_timeout.
  boost::asio::awaitable<std::variant<std::string, TokenError>> authorization();

  // The connector refused the token (401): the next call fetches a new one.
  void forget();

  // Fails a fetch in progress and every later call (TokenError "closed", not transient).
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace microalign::teams
