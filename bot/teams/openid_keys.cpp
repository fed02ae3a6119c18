#include "microalign/teams/openid_keys.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <variant>

#include "microalign/core/log.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/outside_json.hpp"
#include "microalign/net/https_client.hpp"
#include "microalign/net/url.hpp"

namespace microalign::teams {
namespace asio = boost::asio;
using Json = nlohmann::json;

namespace {

constexpr auto refetch_unknown_after = std::chrono::minutes(1);  // a stream of bogus kids costs one fetch a minute
constexpr auto refresh_after = std::chrono::hours(24);           // the JS SDK's interval

// Where a document came from, for the log: scheme, host and path (no query).
std::string where(const net::Url& url) {
  return "https://" + net::host_header(url.host, url.port) + url.target.substr(0, url.target.find('?'));
}

// The RSA keys of a JWKS document with a kid, n and e; other keys (EC, certificates only) are
// not for Bot Framework tokens and are skipped.
std::map<std::string, Jwk, std::less<>> rsa_keys(const Json& jwks) {
  std::map<std::string, Jwk, std::less<>> keys;
  const auto list = jwks.find("keys");
  if (list == jwks.end() || !list->is_array()) return keys;
  for (const Json& entry : *list) {
    if (!entry.is_object()) continue;
    Jwk key{json_string_member(entry, "kid"), json_string_member(entry, "n"), json_string_member(entry, "e"), {}};
    const std::string type = json_string_member(entry, "kty");
    if (key.kid.empty() || key.n.empty() || key.e.empty() || (!type.empty() && type != "RSA")) continue;
    if (const auto endorsements = entry.find("endorsements"); endorsements != entry.end() && endorsements->is_array())
      for (const Json& channel : *endorsements)
        if (channel.is_string()) key.endorsements.push_back(channel.get<std::string>());
    std::string kid = key.kid;
    keys.insert_or_assign(std::move(kid), std::move(key));
  }
  return keys;
}

}  // namespace

// The state lives as long as the coroutines using it: destroying OpenIdKeys while a fetch is in
// flight closes its connections, and the fetch then ends on a state that still exists.
struct OpenIdKeys::Impl {
  struct State;
  std::shared_ptr<State> state;
};

struct OpenIdKeys::Impl::State {
  // One fetch at a time; whoever asks while it runs waits for it and shares its result.
  struct Fetch {
    explicit Fetch(const asio::any_io_executor& ex) : done(ex, asio::steady_timer::time_point::max()) {}
    asio::steady_timer done;  // cancelled when the fetch ends
    bool finished = false;
    std::string failure;
  };

  asio::awaitable<std::string> shared_fetch();
  asio::awaitable<std::string> fetch();
  asio::awaitable<std::variant<Json, std::string>> get_json(const net::Url&);
  net::HttpsClient& client_for(const net::Url&);
  const Jwk* find(std::string_view kid) const;

  asio::any_io_executor ex;
  asio::ssl::context& tls;
  std::string metadata_url;
  Clock clock;
  std::chrono::milliseconds timeout;

  std::map<std::string, Jwk, std::less<>> keys{};
  std::optional<SysTime> fetched{};    // the last fetch that succeeded
  std::optional<SysTime> attempted{};  // the last fetch started, whatever its outcome
  std::shared_ptr<Fetch> in_flight{};
  std::map<std::string, std::unique_ptr<net::HttpsClient>> clients{};  // by host:port
  bool closed = false;
};

const Jwk* OpenIdKeys::Impl::State::find(std::string_view kid) const {
  const auto found = keys.find(kid);
  return found == keys.end() ? nullptr : &found->second;
}

net::HttpsClient& OpenIdKeys::Impl::State::client_for(const net::Url& url) {
  auto& client = clients[url.host + ":" + url.port];
  if (!client) client = std::make_unique<net::HttpsClient>(ex, tls, url.host, url.port);
  return *client;
}

asio::awaitable<std::variant<Json, std::string>> OpenIdKeys::Impl::State::get_json(const net::Url& url) {
  net::HttpRequest request{
      .target = url.target, .content_type = {}, .body = {}, .authorization = {}, .method = net::HttpMethod::get};
  auto response = co_await client_for(url).request(std::move(request), timeout);
  if (!response) co_return "GET " + where(url) + ": " + response.error().message();
  if (response->status != 200) co_return "GET " + where(url) + ": HTTP " + std::to_string(response->status);
  Json document = read_outside_json(response->body).value;
  if (!document.is_object()) co_return "GET " + where(url) + ": not a JSON object";
  co_return document;
}

asio::awaitable<std::string> OpenIdKeys::Impl::State::fetch() {
  const auto metadata_at = net::Url::parse(metadata_url);
  if (!metadata_at || metadata_at->scheme != "https") co_return "the OpenID metadata URL is not an https URL";
  auto metadata = co_await get_json(*metadata_at);
  if (closed) co_return "closed";
  if (auto* failure = std::get_if<std::string>(&metadata)) co_return *failure;

  // The issuer need not match: Microsoft's document names its own, the token's is checked
  // against configuration. Where the keys are must be https, like the metadata itself.
  const Json& document = std::get<Json>(metadata);
  const auto jwks_uri = document.find("jwks_uri");
  if (jwks_uri == document.end() || !jwks_uri->is_string()) co_return where(*metadata_at) + ": no jwks_uri";
  const auto keys_at = net::Url::parse(jwks_uri->get<std::string>());
  if (!keys_at || keys_at->scheme != "https") co_return where(*metadata_at) + ": jwks_uri is not an https URL";
  auto jwks = co_await get_json(*keys_at);
  if (closed) co_return "closed";
  if (auto* failure = std::get_if<std::string>(&jwks)) co_return *failure;

  auto fresh = rsa_keys(std::get<Json>(jwks));
  // An empty set would refuse every activity; a document without keys is a failed fetch.
  if (fresh.empty()) co_return where(*keys_at) + ": no RSA signing keys";
  keys = std::move(fresh);
  fetched = clock();
  log::debug("teams.keys", "fetched " + std::to_string(keys.size()) + " signing keys from " + where(*keys_at));
  co_return std::string();
}

asio::awaitable<std::string> OpenIdKeys::Impl::State::shared_fetch() {
  if (auto running = in_flight) {
    if (!running->finished) co_await running->done.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return running->failure;
  }
  if (closed) co_return "closed";
  auto mine = std::make_shared<Fetch>(ex);
  in_flight = mine;
  attempted = clock();
  mine->failure = co_await fetch();
  mine->finished = true;
  in_flight.reset();
  mine->done.cancel();
  if (!mine->failure.empty() && mine->failure != "closed") {
    log::warn("teams.keys", "fetching the Bot Framework signing keys failed: " + mine->failure +
                                (keys.empty() ? "" : "; keeping the " + std::to_string(keys.size()) + " keys known"));
  }
  co_return mine->failure;
}

OpenIdKeys::OpenIdKeys(asio::any_io_executor ex, asio::ssl::context& tls, std::string metadata_url, Clock clock,
                       std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->state = std::make_shared<Impl::State>(Impl::State{.ex = std::move(ex),
                                                           .tls = tls,
                                                           .metadata_url = std::move(metadata_url),
                                                           .clock = std::move(clock),
                                                           .timeout = timeout});
}

OpenIdKeys::~OpenIdKeys() { close(); }

asio::awaitable<std::optional<Jwk>> OpenIdKeys::key(std::string kid) {
  auto state = impl_->state;  // outlives this object if it is destroyed meanwhile
  if (kid.empty()) co_return std::nullopt;
  if (state->in_flight) co_await state->shared_fetch();  // its outcome is what to look at
  const SysTime now = state->clock();
  const bool stale = !state->fetched || now - *state->fetched >= refresh_after;
  if (const Jwk* known = state->find(kid); known && !stale) co_return *known;
  const bool may_fetch = !state->attempted || now - *state->attempted >= refetch_unknown_after;
  if (may_fetch && !state->closed) co_await state->shared_fetch();
  const Jwk* found = state->find(kid);
  if (!found) co_return std::nullopt;
  co_return *found;
}

asio::awaitable<std::string> OpenIdKeys::refresh() {
  auto state = impl_->state;
  co_return co_await state->shared_fetch();
}

void OpenIdKeys::close() {
  auto& state = *impl_->state;
  state.closed = true;
  for (auto& [origin, client] : state.clients) client->close();
}

}  // namespace microalign::teams
