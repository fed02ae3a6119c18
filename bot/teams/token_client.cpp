#include "microalign/teams/token_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "microalign/core/json_fields.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/outside_json.hpp"
#include "microalign/core/metrics.hpp"
#include "microalign/net/https_client.hpp"
#include "microalign/net/url.hpp"

namespace microalign::teams {
namespace asio = boost::asio;
using Json = nlohmann::json;

namespace {

constexpr auto refresh_margin = std::chrono::minutes(5);  // as the SDK's appCredentials do
constexpr std::string_view scope = "https://api.botframework.com/.default";

using Outcome = std::variant<std::string, TokenError>;

// For the operator: token fetches by HTTP status ("error": no answer).
metrics::Family<metrics::Counter>& token_fetches() {
  static auto& fetches = metrics::default_registry().counter(
      "microalign_teams_token_fetches_total",
      "Connector tokens asked of Microsoft's login, by HTTP status (error: no answer).", {"status"});
  return fetches;
}

bool printable_ascii(std::string_view s, bool spaces) {
  return std::all_of(s.begin(), s.end(),
                     [&](unsigned char c) { return (c > 0x20 || (spaces && c == 0x20)) && c < 0x7f; });
}

// A server may echo what it was sent; whatever it says, the secret does not travel on.
std::string without(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
    text.replace(at, secret.size(), "(secret)");
  return text;
}

// What an OAuth error answer says, for the reason: its `error` code and the AADSTS number of its
// description ("invalid_client, AADSTS7000215"); the rest of the description is prose.
std::string oauth_error(const std::string& body, const std::string& secret) {
  const Json answer = read_outside_json(body).value;
  if (!answer.is_object()) return {};
  std::string said;
  if (const auto error = answer.find("error"); error != answer.end() && error->is_string()) {
    said = without(error->get<std::string>(), secret).substr(0, 64);  // RFC 6749: printable ASCII
    if (!printable_ascii(said, true)) said.clear();
  }
  if (const auto description = answer.find("error_description");
      description != answer.end() && description->is_string()) {
    const std::string& text = description->get_ref<const std::string&>();
    if (text.starts_with("AADSTS")) {
      const auto end = text.find_first_not_of("0123456789", 6);
      said += (said.empty() ? "" : ", ") + text.substr(0, std::min<std::size_t>(end, 20));
    }
  }
  return said;
}

// Nine digits of seconds (31 years): any longer and the time the token is refreshed at,
// counted in the clock's nanoseconds, would overflow (undefined behaviour) for a server that
// said expires_in 9223372036854775807.
constexpr long long max_lifetime_seconds = 999'999'999;

std::optional<std::chrono::seconds> lifetime(const Json& answer) {
  const auto it = answer.find("expires_in");
  if (it == answer.end()) return std::nullopt;
  long long seconds = 0;
  if (it->is_string()) {  // Entra's v1 endpoint sends a string
    const std::string& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > 9 ||
        !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
      return std::nullopt;
    seconds = std::stoll(text);
  } else if (const auto number = json_integer<long long>(*it, 1, max_lifetime_seconds)) {
    seconds = *number;
  } else {
    return std::nullopt;
  }
  if (seconds <= 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

}  // namespace

// The state lives as long as the coroutines using it (see OpenIdKeys).
struct TokenClient::Impl {
  struct State;
  std::shared_ptr<State> state;
};

struct TokenClient::Impl::State {
  struct Fetch {
    explicit Fetch(const asio::any_io_executor& ex) : done(ex, asio::steady_timer::time_point::max()) {}
    asio::steady_timer done;  // cancelled when the fetch ends
    std::optional<Outcome> outcome;
  };

  asio::awaitable<Outcome> shared_fetch();
  asio::awaitable<Outcome> fetch();
  std::string form() const;

  asio::any_io_executor ex;
  std::string token_url;
  std::optional<net::Url> url;
  std::string app_id;
  Secret secret;
  std::chrono::milliseconds timeout;
  Clock clock;
  std::unique_ptr<net::HttpsClient> client;  // null when the URL is not https

  std::string token;  // empty: none
  SysTime refresh_at{};
  std::shared_ptr<Fetch> in_flight;
  bool closed = false;
};

std::string TokenClient::Impl::State::form() const {
  return "grant_type=client_credentials&client_id=" + net::percent_encode(app_id) +
         "&client_secret=" + net::percent_encode(secret.reveal()) + "&scope=" + net::percent_encode(scope);
}

asio::awaitable<Outcome> TokenClient::Impl::State::fetch() {
  if (!client) co_return TokenError{"the token URL is not an https URL", false};
  const SysTime asked_at = clock();
  net::HttpRequest request{.target = url->target,
                           .content_type = "application/x-www-form-urlencoded",
                           .body = form(),
                           .authorization = {},
                           .method = net::HttpMethod::post};
  auto response = co_await client->request(std::move(request), timeout);
  token_fetches().with({metrics::StatusLabel(response ? response->status : 0)}).inc();
  if (closed) co_return TokenError{"closed", false};
  if (!response) co_return TokenError{"POST token endpoint: " + response.error().message(), true};

  const unsigned status = response->status;
  if (status != 200) {
    const std::string said = oauth_error(response->body, secret.reveal());
    co_return TokenError{"HTTP " + std::to_string(status) + (said.empty() ? "" : " (" + said + ")"),
                         status == 429 || status >= 500};
  }
  const Json answer = read_outside_json(response->body).value;
  const TokenError not_a_token{"the token endpoint's answer is not a bearer token", false};
  if (!answer.is_object()) co_return not_a_token;
  const auto type = answer.find("token_type");
  const auto access = answer.find("access_token");
  const auto valid_for = lifetime(answer);
  if (type == answer.end() || !type->is_string() || access == answer.end() || !access->is_string() || !valid_for)
    co_return not_a_token;
  std::string kind = type->get<std::string>();
  std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string fresh = access->get<std::string>();
  if (kind != "bearer" || fresh.empty() || !printable_ascii(fresh, false)) co_return not_a_token;

  token = fresh;
  refresh_at = asked_at + *valid_for - refresh_margin;
  log::debug("teams.token", "connector token valid for " + std::to_string(valid_for->count()) + " s");
  co_return "Bearer " + fresh;
}

asio::awaitable<Outcome> TokenClient::Impl::State::shared_fetch() {
  if (auto running = in_flight) {
    if (!running->outcome) co_await running->done.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return *running->outcome;
  }
  auto mine = std::make_shared<Fetch>(ex);
  in_flight = mine;
  Outcome outcome = co_await fetch();
  if (auto* failure = std::get_if<TokenError>(&outcome); failure && !closed)
    log::warn("teams.token", "getting the Bot Connector token from " + token_url + " failed: " + failure->reason);
  mine->outcome = outcome;
  in_flight.reset();
  mine->done.cancel();
  co_return outcome;
}

TokenClient::TokenClient(asio::any_io_executor ex, asio::ssl::context& tls, const TeamsConfig& config, Clock clock)
    : impl_(std::make_unique<Impl>()) {
  auto state = std::make_shared<Impl::State>();
  state->ex = ex;
  state->token_url = config.token_url();
  state->url = net::Url::parse(state->token_url);
  if (state->url && state->url->scheme != "https") state->url.reset();
  state->app_id = config.app_id;
  state->secret = config.app_password;
  state->timeout = config.api_timeout;
  state->clock = std::move(clock);
  if (state->url) state->client = std::make_unique<net::HttpsClient>(ex, tls, state->url->host, state->url->port);
  impl_->state = std::move(state);
  token_fetches();  // listed on GET /metrics from the start
}

TokenClient::~TokenClient() { close(); }

asio::awaitable<std::variant<std::string, TokenError>> TokenClient::authorization() {
  auto state = impl_->state;  // outlives this object if it is destroyed meanwhile
  if (state->closed) co_return TokenError{"closed", false};
  if (!state->token.empty() && state->clock() < state->refresh_at) co_return "Bearer " + state->token;
  co_return co_await state->shared_fetch();
}

void TokenClient::forget() { impl_->state->token.clear(); }

void TokenClient::close() {
  auto& state = *impl_->state;
  state.closed = true;
  if (state.client) state.client->close();
}

}  // namespace microalign::teams
