#include "microalign/slack/web_api.hpp"

#include <algorithm>

#include "microalign/core/json_fields.hpp"
#include "microalign/core/outside_json.hpp"
#include "microalign/core/log.hpp"
#include "microalign/net/https_client.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;

bool is_transient_slack_error(const std::string& e) {
  return e == "ratelimited" || e == "rate_limited" || e == "internal_error" ||
         e == "fatal_error" || e == "service_unavailable" || e == "request_timeout";
}

// "chat:write,commands, users:read" → each scope, in order.
std::vector<std::string> scope_list(const std::string& header) {
  std::vector<std::string> scopes;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto end = std::min(header.find(',', start), header.size());
    const auto first = header.find_first_not_of(" \t", start);
    const auto last = header.find_last_not_of(" \t", end == 0 ? 0 : end - 1);
    if (first < end && last != std::string::npos && last >= first)
      scopes.push_back(header.substr(first, last - first + 1));
    start = end + 1;
  }
  return scopes;
}

ApiReply from_http(const net::HttpResponse& response) {
  ApiReply reply;
  reply.http_status = response.status;
  reply.retry_after = response.retry_after;
  if (response.headers.contains("x-oauth-scopes")) reply.token_scopes = scope_list(response.header("x-oauth-scopes"));
  // Too deep is read as not JSON: parsing would manage, but reading a reply copies parts of it
  // (value("channel", …)), and copies recurse once per level.
  auto [body, too_deep] = read_outside_json(response.body);
  reply.body = std::move(body);
  if (response.status == 429) {
    reply.error = "ratelimited";
    return reply;
  }
  if (response.status != 200) {
    // response_url answers "ok" as plain text; anything 2xx there is success.
    if (response.status / 100 == 2) {
      reply.ok = true;
      return reply;
    }
    reply.error = "HTTP " + std::to_string(response.status);
    return reply;
  }
  if (reply.body.is_discarded()) {
    reply.ok = response.body == "ok" || response.body.empty();
    if (!reply.ok) reply.error = too_deep ? "reply nested too deep" : "reply is not JSON";
    return reply;
  }
  // Only {"ok": true} is success; a reply of another shape ([], "ok": "yes") is an error, not an
  // exception out of whatever task made the call.
  const auto ok = reply.body.is_object() ? reply.body.find("ok") : reply.body.end();
  reply.ok = ok != reply.body.end() && *ok == true;
  if (!reply.ok) reply.error = json_string_member(reply.body, "error", "unknown_error");
  return reply;
}

}  // namespace

bool ApiReply::transient() const {
  if (ok) return false;
  if (http_status == 0 || http_status == 429 || http_status >= 500) return true;
  return is_transient_slack_error(error);
}

WebApi::WebApi(asio::any_io_executor executor, asio::ssl::context& tls, const SlackConfig& config)
    : executor_(std::move(executor)),
      tls_(tls),
      config_(config),
      api_base_(net::Url::parse(config.api_url).value()),
      calls_(metrics::default_registry().counter(
          "microalign_slack_api_calls_total",
          "Slack Web API calls (and posts to response URLs, method response_url), by method and HTTP status "
          "(error: no answer).",
          {"method", "status"})),
      rate_limited_(metrics::default_registry().counter("microalign_slack_api_rate_limited_total",
                                                        "Slack Web API calls answered 429 (rate limited), by method.",
                                                        {"method"})) {}

WebApi::~WebApi() = default;

void WebApi::count(std::string_view method, unsigned http_status) {
  calls_.with({method, metrics::StatusLabel(http_status)}).inc();
  if (http_status == 429) rate_limited_.with({method}).inc();
}

net::HttpsClient& WebApi::client_for(const net::Url& url) {
  auto& client = clients_[url.host + ":" + url.port];
  if (!client) client = std::make_unique<net::HttpsClient>(executor_, tls_, url.host, url.port);
  return *client;
}

asio::awaitable<ApiReply> WebApi::call(std::string method, nlohmann::json args, TokenKind token,
                                       std::optional<std::chrono::milliseconds> timeout) {
  const auto& secret = token == TokenKind::app ? config_.app_token : config_.bot_token;
  net::HttpRequest request{
      .target = api_base_.target + method,
      .content_type = "application/json; charset=utf-8",
      .body = args.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      .authorization = "Bearer " + secret.reveal(),
  };
  auto response = co_await client_for(api_base_).post(std::move(request), timeout.value_or(config_.api_timeout));
  count(method, response ? response->status : 0);
  if (!response) {
    ApiReply failed;
    failed.error = response.error().message();
    log::debug("slack.api", method + " failed: " + failed.error);
    co_return failed;
  }
  auto reply = from_http(*response);
  if (!reply.ok) log::debug("slack.api", method + ": " + reply.error);
  co_return reply;
}

asio::awaitable<ApiReply> WebApi::respond(const std::string& response_url, nlohmann::json body) {
  auto url = net::Url::parse(response_url);
  if (!url || url->scheme != "https") {
    ApiReply refused;
    refused.error = "response_url is not an https URL";
    co_return refused;
  }
  net::HttpRequest request{
      .target = url->target,
      .content_type = "application/json; charset=utf-8",
      .body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      .authorization = {},
  };
  auto response = co_await client_for(*url).post(std::move(request), config_.api_timeout);
  count("response_url", response ? response->status : 0);
  if (!response) {
    ApiReply failed;
    failed.error = response.error().message();
    co_return failed;
  }
  co_return from_http(*response);
}

void WebApi::close() {
  for (auto& [origin, client] : clients_) client->close();
}

}  // namespace microalign::slack
