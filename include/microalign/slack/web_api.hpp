// Slack's Web API over one kept-alive HTTPS connection: JSON in, the reply's JSON out, and every
// failure — Slack's own `error` string, HTTP status, TLS or timeout — carried as a value. Every
// call is counted for the operator by method and HTTP status ("error" when there was no answer),
// and each 429 once more, by method.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "microalign/core/config.hpp"
#include "microalign/core/metrics.hpp"
#include "microalign/net/url.hpp"

namespace microalign::net {
class HttpsClient;
}

namespace microalign::slack {

struct ApiReply {
  bool ok = false;
  std::string error;  // Slack's `error` ("not_in_channel"), or what failed on the way ("timed out")
  nlohmann::json body;
  unsigned http_status = 0;
  std::optional<std::chrono::seconds> retry_after;
  // The token's scopes as Slack lists them in the x-oauth-scopes header of its answers; nullopt
  // when the header was not sent.
  std::optional<std::vector<std::string>> token_scopes;

  // Worth trying again later: rate limited, Slack having a bad moment, or the network.
  bool transient() const;
};

enum class TokenKind { bot, app };

class WebApi {
 public:
  WebApi(boost::asio::any_io_executor, boost::asio::ssl::context&, const SlackConfig&);
  ~WebApi();

  // POSTs `args` as JSON to <SLACK_API_URL><method> with the chosen token. `method` is one of
  // the code's own (it is a metrics label). `timeout` defaults to the configured api_timeout.
  boost::asio::awaitable<ApiReply> call(std::string method, nlohmann::json args,
                                        TokenKind token = TokenKind::bot,
                                        std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // POSTs to a slash command's response_url. The URL itself is the credential: no token is sent.
  boost::asio::awaitable<ApiReply> respond(const std::string& response_url, nlohmann::json body);

  void close();

 private:
  net::HttpsClient& client_for(const net::Url&);
  void count(std::string_view method, unsigned http_status);

  boost::asio::any_io_executor executor_;
  boost::asio::ssl::context& tls_;
  const SlackConfig& config_;
  net::Url api_base_;
  std::map<std::string, std::unique_ptr<net::HttpsClient>> clients_;  // by "host:port"
  metrics::Family<metrics::Counter>& calls_;                          // {method, status}
  metrics::Family<metrics::Counter>& rate_limited_;                   // {method}
};

}  // namespace microalign::slack
