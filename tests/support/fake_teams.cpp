#include "fake_teams.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "form_fields.hpp"
#include "http_get.hpp"
#include "tls_test_server.hpp"

namespace microalign::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Json = nlohmann::json;
using Stream = TlsStream;
using Request = HttpRequest;
using Response = HttpResponse;

namespace {

constexpr std::uint64_t max_request_body = 1024 * 1024;
constexpr std::string_view channel_issuer = "https://api.botframework.com";
constexpr std::string_view connector_scope = "https://api.botframework.com/.default";
constexpr std::string_view unendorsed_kid = "fake-key-webchat";
constexpr std::string_view unknown_kid = "fake-key-never-published";

// ---- Keys: a process-wide pool of RSA keys, made when first needed.

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

[[noreturn]] void openssl_failed(const char* what) {
  char detail[256] = "no OpenSSL detail";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, detail, sizeof detail);
  ERR_clear_error();
  throw std::runtime_error(std::string("fake Teams: ") + what + ": " + detail);
}

struct RsaKey {
  PKey key;
  std::string n;  // base64url, big-endian, no leading zeros
  std::string e;
};

std::string bignum_param(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) openssl_failed("RSA parameter");
  const Bignum value(raw);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(value.get())), '\0');
  BN_bn2bin(value.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return base64url(bytes);
}

// The index-th key of the pool. Keys are never freed: they are the process's test fixtures.
const RsaKey& pool_key(std::size_t index) {
  static std::mutex mutex;
  static std::deque<RsaKey> pool;  // deque: references stay valid as it grows
  std::lock_guard lock(mutex);
  while (pool.size() <= index) {
    PKey key(EVP_RSA_gen(2048));
    if (!key) openssl_failed("RSA key generation");
    std::string n = bignum_param(key.get(), OSSL_PKEY_PARAM_RSA_N);
    std::string e = bignum_param(key.get(), OSSL_PKEY_PARAM_RSA_E);
    pool.push_back(RsaKey{std::move(key), std::move(n), std::move(e)});
  }
  return pool[index];
}

std::string pool_kid(std::size_t index) { return "fake-key-" + std::to_string(index + 1); }

std::string rsa_sign(const RsaKey& key, const char* digest, std::string_view data) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const DigestContext context(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!context || EVP_DigestSignInit_ex(context.get(), nullptr, digest, nullptr, nullptr, key.key.get(), nullptr) != 1)
    openssl_failed("signing");
  if (EVP_DigestSign(context.get(), nullptr, &size, bytes, data.size()) != 1) openssl_failed("signing");
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, bytes, data.size()) != 1)
    openssl_failed("signing");
  signature.resize(size);
  return signature;
}

// HS256 "signed" with the public modulus as the secret: the algorithm-confusion attack.
std::string hmac_sha256(std::string_view secret, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned size = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size))
    openssl_failed("HMAC");
  return std::string(reinterpret_cast<char*>(out), size);
}

// ---- HTTP helpers

// A path segment as the Bot Framework SDK sends it: only unreserved characters and %XX.
bool percent_encoded(std::string_view segment) {
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) continue;
    if (c != '%' || i + 2 >= segment.size() || !std::isxdigit(static_cast<unsigned char>(segment[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(segment[i + 2])))
      return false;
    i += 2;
  }
  return true;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string text_at(const Json& object, std::initializer_list<const char*> path) {
  const Json* at = &object;
  for (const char* key : path) {
    if (!at->is_object()) return {};
    const auto it = at->find(key);
    if (it == at->end()) return {};
    at = &*it;
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

struct PublishedKey {
  std::string kid;
  std::size_t pool_index = 0;
  std::vector<std::string> endorsements;
};

}  // namespace

struct FakeTeams::Impl {
  Impl(const TestPki& pki, Options options);

  asio::awaitable<void> serve(Stream stream);
  asio::awaitable<Response> respond(const Request& request);
  TeamsCall to_call(const Request& request) const;
  Reply answer(const TeamsCall& call);
  std::optional<Reply> refuse(const TeamsCall& call) const;  // with `mutex` held
  Reply built_in(const TeamsCall& call);                     // with `mutex` held
  std::string next_activity_id();                            // with `mutex` held
  Json jwks_locked() const;                                  // with `mutex` held
  std::string base_url() const { return "https://127.0.0.1:" + server.port() + "/"; }

  const Options options;

  // Shared with the test's thread.
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<TeamsCall> calls;
  std::map<std::string, std::deque<Reply>, std::less<>> queued;
  std::map<std::string, std::function<Reply(const TeamsCall&)>, std::less<>> handlers;
  std::vector<PublishedKey> published;  // the keys document, in order
  std::size_t signing = 0;              // index into `published` of the current key
  std::size_t next_pool_index = 0;
  std::optional<std::string> jwks_uri;  // override
  std::chrono::seconds token_lifetime;
  std::vector<std::string> tokens;  // issued
  std::set<std::string> valid_tokens;
  long long activities = 0;

  // Last: its thread ends before the state above, which its coroutines use, is destroyed.
  TlsTestServer server;
};

FakeTeams::Impl::Impl(const TestPki& pki, Options opts)
    : options(std::move(opts)), token_lifetime(options.token_lifetime), server(pki, "fake Teams") {
  // The "webchat" key and the first "msteams" key; rotations add more.
  published.push_back({std::string(unendorsed_kid), next_pool_index++, {"webchat"}});
  published.push_back({pool_kid(next_pool_index), next_pool_index, {"msteams"}});
  ++next_pool_index;
  signing = 1;
  for (const auto& key : published) pool_key(key.pool_index);
  server.run([this](Stream stream) { return serve(std::move(stream)); });
}

asio::awaitable<void> FakeTeams::Impl::serve(Stream stream) {
  beast::flat_buffer buffer;
  for (;;) {
    const std::optional<Request> request = co_await read_request(stream, buffer, max_request_body);
    if (!request) co_return;
    Response response = co_await respond(*request);
    const bool written = co_await write_response(stream, response);
    if (!written || !response.keep_alive()) co_return;
  }
}

TeamsCall FakeTeams::Impl::to_call(const Request& request) const {
  TeamsCall call;
  call.method = std::string(request.method_string());
  call.target = std::string(request.target());
  call.authorization = std::string(request[http::field::authorization]);
  call.content_type = std::string(request[http::field::content_type]);
  const std::string_view path = std::string_view(call.target).substr(0, call.target.find('?'));
  const auto parts = segments(path);
  const bool get = request.method() == http::verb::get;
  const bool post = request.method() == http::verb::post;
  const bool put = request.method() == http::verb::put;
  if (get && path == "/v1/.well-known/openidconfiguration") {
    call.route = openid_route;
  } else if (get && path == "/v1/.well-known/keys") {
    call.route = keys_route;
  } else if (post && parts.size() == 4 && parts[1] == "oauth2" && parts[2] == "v2.0" && parts[3] == "token") {
    call.route = token_route;
  } else if (parts.size() >= 2 && parts[0] == "v3" && parts[1] == "conversations") {
    if (parts.size() > 2) call.conversation_id = percent_decode(parts[2], false);
    if (parts.size() > 4) call.activity_id = percent_decode(parts[4], false);
    if (post && parts.size() == 2) call.route = create_route;
    if (post && parts.size() == 4 && parts[3] == "activities") call.route = send_route;
    if (post && parts.size() == 5 && parts[3] == "activities") call.route = reply_route;
    if (put && parts.size() == 5 && parts[3] == "activities") call.route = update_route;
  }
  if (call.route == token_route) {
    call.body = form_fields(request.body());
  } else if (!request.body().empty()) {
    call.body = Json::parse(request.body(), nullptr, false);
  }
  return call;
}

asio::awaitable<Response> FakeTeams::Impl::respond(const Request& request) {
  return reply_to(request, answer(to_call(request)));
}

Reply FakeTeams::Impl::answer(const TeamsCall& call) {
  std::unique_lock lock(mutex);
  std::function<Reply(const TeamsCall&)> handler;
  std::optional<Reply> reply = [&]() -> std::optional<Reply> {
    if (call.route.empty())
      return connector_error(404, "NotFound", "no such route: " + call.method + " " + call.target);
    if (auto refused = refuse(call)) return refused;
    if (auto queue = queued.find(call.route); queue != queued.end() && !queue->second.empty()) {
      Reply next = std::move(queue->second.front());
      queue->second.pop_front();
      return next;
    }
    if (auto found = handlers.find(call.route); found != handlers.end()) {
      handler = found->second;
      return std::nullopt;
    }
    return built_in(call);
  }();
  if (!reply) {
    lock.unlock();  // the test's handler may take its own locks
    reply = handler(call);
    lock.lock();
  }
  calls.push_back(call);
  changed.notify_all();
  return std::move(*reply);
}

std::optional<Reply> FakeTeams::Impl::refuse(const TeamsCall& call) const {
  if (call.route == openid_route || call.route == keys_route) return std::nullopt;
  if (call.route == token_route) {
    const Json& form = call.body;
    const auto field = [&](const char* name) { return text_at(form, {name}); };
    if (!call.content_type.starts_with("application/x-www-form-urlencoded"))
      return oauth_error(400, "invalid_request", "AADSTS900144: The request body must be a form.");
    if (segments(call.target)[0] != options.tenant_id)
      return oauth_error(400, "invalid_request", "AADSTS90002: Tenant not found.");
    if (field("grant_type") != "client_credentials")
      return oauth_error(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
    if (field("client_id") != options.app_id)
      return oauth_error(400, "unauthorized_client", "AADSTS700016: Application not found in the directory.");
    if (field("client_secret") != options.app_password)
      return oauth_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
    if (field("scope") != connector_scope)
      return oauth_error(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.");
    return std::nullopt;
  }
  // The connector.
  constexpr std::string_view bearer = "Bearer ";
  if (!call.authorization.starts_with(bearer) || !valid_tokens.contains(call.authorization.substr(bearer.size())))
    return Reply::json({{"message", "Authorization has been denied for this request."}}, 401);
  const std::string_view path = std::string_view(call.target).substr(0, call.target.find('?'));
  const auto parts = segments(path);  // views into call.target
  for (std::size_t i = 2; i < parts.size(); i += 2)
    if (!percent_encoded(parts[i]))
      return connector_error(400, "BadArgument", "path segment not percent-encoded: " + std::string(parts[i]));
  if (call.body.is_discarded() || !call.body.is_object())
    return connector_error(400, "BadArgument", "the body is not a JSON object");
  return std::nullopt;
}

std::string FakeTeams::Impl::next_activity_id() { return std::to_string(1700000000000LL + ++activities); }

Json FakeTeams::Impl::jwks_locked() const {
  Json keys = Json::array();
  for (const auto& key : published) {
    const RsaKey& rsa = pool_key(key.pool_index);
    keys.push_back({{"kty", "RSA"},
                    {"use", "sig"},
                    {"kid", key.kid},
                    {"x5t", key.kid},
                    {"n", rsa.n},
                    {"e", rsa.e},
                    {"endorsements", key.endorsements}});
  }
  return {{"keys", keys}};
}

Reply FakeTeams::Impl::built_in(const TeamsCall& call) {
  if (call.route == openid_route) {
    return Reply::json({{"issuer", std::string(channel_issuer)},
                        {"authorization_endpoint", "https://invalid.botframework.com"},
                        {"jwks_uri", jwks_uri.value_or(base_url() + "v1/.well-known/keys")},
                        {"id_token_signing_alg_values_supported", {"RS256"}},
                        {"token_endpoint_auth_methods_supported", {"private_key_jwt"}}});
  }
  if (call.route == keys_route) return Reply::json(jwks_locked());
  if (call.route == token_route) {
    std::string token = "fake-token-" + std::to_string(tokens.size() + 1);
    tokens.push_back(token);
    valid_tokens.insert(token);
    return Reply::json({{"token_type", "Bearer"},
                        {"expires_in", token_lifetime.count()},
                        {"ext_expires_in", token_lifetime.count()},
                        {"access_token", token}});
  }
  const Json& body = call.body;
  if (call.route == create_route) {
    const std::string channel = text_at(body, {"channelData", "channel", "id"});
    if (!channel.empty()) {
      if (!body.contains("activity") || !body["activity"].is_object())
        return connector_error(400, "BadArgument", "a new channel post needs an activity");
      const std::string id = next_activity_id();
      return Reply::json({{"id", channel + ";messageid=" + id}, {"activityId", id}}, 201);
    }
    const auto members = body.find("members");
    if (members == body.end() || !members->is_array() || members->size() != 1 || text_at((*members)[0], {"id"}).empty())
      return connector_error(400, "BadArgument", "a 1:1 conversation needs exactly one member");
    if (text_at(body, {"tenantId"}).empty() && text_at(body, {"channelData", "tenant", "id"}).empty())
      return connector_error(400, "BadArgument", "tenantId is required");
    return Reply::json({{"id", "a:conv-" + text_at((*members)[0], {"id"})}}, 201);
  }
  if (text_at(body, {"type"}).empty()) return connector_error(400, "BadArgument", "an activity needs a type");
  if (call.route == update_route) return Reply::json({{"id", call.activity_id}});
  return Reply::json({{"id", next_activity_id()}}, 201);
}

// ---- FakeTeams

FakeTeams::FakeTeams(const TestPki& pki) : FakeTeams(pki, Options{}) {}
FakeTeams::FakeTeams(const TestPki& pki, Options options) : impl_(std::make_unique<Impl>(pki, std::move(options))) {}
FakeTeams::~FakeTeams() = default;

const FakeTeams::Options& FakeTeams::options() const { return impl_->options; }
std::string FakeTeams::port() const { return impl_->server.port(); }
std::string FakeTeams::base_url() const { return impl_->base_url(); }
std::string FakeTeams::openid_metadata_url() const { return base_url() + "v1/.well-known/openidconfiguration"; }
std::string FakeTeams::keys_url() const { return base_url() + "v1/.well-known/keys"; }
std::string FakeTeams::login_url() const { return base_url() + impl_->options.tenant_id; }
std::string FakeTeams::token_url() const { return login_url() + "/oauth2/v2.0/token"; }

TeamsConfig FakeTeams::config() const {
  TeamsConfig config;
  config.app_id = impl_->options.app_id;
  config.app_password = Secret(impl_->options.app_password);
  config.tenant_id = impl_->options.tenant_id;
  config.openid_metadata_url = openid_metadata_url();
  config.login_url = login_url();
  return config;
}

void FakeTeams::reply_next(std::string_view route, Reply reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->queued[std::string(route)].push_back(std::move(reply));
}

void FakeTeams::on(std::string_view route, std::function<Reply(const TeamsCall&)> handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handlers[std::string(route)] = std::move(handler);
}

void FakeTeams::clear_handler(std::string_view route) {
  std::lock_guard lock(impl_->mutex);
  if (auto found = impl_->handlers.find(route); found != impl_->handlers.end()) impl_->handlers.erase(found);
}

std::vector<TeamsCall> FakeTeams::calls(std::string_view route) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<TeamsCall> out;
  for (const auto& call : impl_->calls)
    if (route.empty() || call.route == route) out.push_back(call);
  return out;
}

std::size_t FakeTeams::count(std::string_view route) const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<std::size_t>(std::count_if(impl_->calls.begin(), impl_->calls.end(),
                                                [&](const TeamsCall& call) { return call.route == route; }));
}

std::optional<TeamsCall> FakeTeams::wait_for_call(std::string_view route, std::chrono::milliseconds timeout,
                                                  std::size_t count) const {
  std::optional<TeamsCall> found;
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait_for(lock, timeout, [&] {
    std::size_t seen = 0;
    for (const auto& call : impl_->calls)
      if (call.route == route && ++seen == count) {
        found = call;
        return true;
      }
    return false;
  });
  return found;
}

std::string FakeTeams::current_kid() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->published[impl_->signing].kid;
}

std::string FakeTeams::rotate_key(bool keep_old) {
  std::unique_lock lock(impl_->mutex);
  const std::size_t index = impl_->next_pool_index++;
  lock.unlock();
  pool_key(index);  // may take a moment the first time: not while the fake waits for the lock
  lock.lock();
  if (!keep_old) impl_->published.erase(impl_->published.begin() + static_cast<std::ptrdiff_t>(impl_->signing));
  impl_->published.push_back({pool_kid(index), index, {"msteams"}});
  impl_->signing = impl_->published.size() - 1;
  return impl_->published.back().kid;
}

Json FakeTeams::jwks() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->jwks_locked();
}

void FakeTeams::set_jwks_uri(std::string uri) {
  std::lock_guard lock(impl_->mutex);
  if (uri.empty())
    impl_->jwks_uri.reset();
  else
    impl_->jwks_uri = std::move(uri);
}

void FakeTeams::set_token_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock(impl_->mutex);
  impl_->token_lifetime = lifetime;
}

std::vector<std::string> FakeTeams::issued_tokens() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->tokens;
}

void FakeTeams::invalidate_tokens() {
  std::lock_guard lock(impl_->mutex);
  impl_->valid_tokens.clear();
}

std::string FakeTeams::signed_token(const TokenOptions& options) const {
  PublishedKey key;
  {
    std::lock_guard lock(impl_->mutex);
    key = impl_->published[impl_->signing];
    if (options.key == TokenOptions::Key::unendorsed || options.key == TokenOptions::Key::named) {
      const std::string_view wanted = options.key == TokenOptions::Key::named ? options.kid : unendorsed_kid;
      const auto found = std::find_if(impl_->published.begin(), impl_->published.end(),
                                      [&](const PublishedKey& k) { return k.kid == wanted; });
      if (found == impl_->published.end()) throw std::invalid_argument("fake Teams: no published key " + options.kid);
      key = *found;
    }
  }
  // An unknown kid: signed with the current key, named as no published key is.
  const std::string kid = options.key == TokenOptions::Key::unknown ? std::string(unknown_kid) : key.kid;

  const auto now = std::chrono::floor<std::chrono::seconds>(
      options.now.value_or(std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now())));
  const long long seconds = now.time_since_epoch().count();
  Json claims = {{"iss", options.iss.value_or(std::string(channel_issuer))},
                 {"aud", options.aud.value_or(impl_->options.app_id)},
                 {"nbf", seconds + options.not_before_in.count()},
                 {"exp", seconds + options.expires_in.count()}};
  if (!options.omit_serviceurl) claims["serviceurl"] = options.serviceurl.value_or(base_url());
  if (options.omit_exp) claims.erase("exp");
  if (options.omit_nbf) claims.erase("nbf");
  for (const auto& [name, value] : options.extra_claims.items()) claims[name] = value;

  const Json header = {{"alg", options.alg}, {"kid", kid}, {"typ", "JWT"}, {"x5t", kid}};
  const std::string signed_part = base64url(header.dump()) + "." + base64url(claims.dump());
  const RsaKey& rsa = pool_key(key.pool_index);
  std::string signature;
  if (options.alg == "RS256") signature = rsa_sign(rsa, "SHA256", signed_part);
  if (options.alg == "RS384") signature = rsa_sign(rsa, "SHA384", signed_part);
  if (options.alg == "RS512") signature = rsa_sign(rsa, "SHA512", signed_part);
  if (options.alg.starts_with("HS")) signature = hmac_sha256(rsa.n, signed_part);
  if (options.tamper_signature && !signature.empty()) signature[0] = static_cast<char>(signature[0] ^ 0x01);

  std::string token = signed_part + "." + base64url(signature);
  if (options.tamper_payload) {
    claims["aud"] = claims["aud"].get<std::string>() + "-x";
    claims["tampered"] = true;
    token = base64url(header.dump()) + "." + base64url(claims.dump()) + "." + base64url(signature);
  }
  return token;
}

std::string FakeTeams::authorization(const TokenOptions& options) const { return "Bearer " + signed_token(options); }

FakeTeams::HttpAnswer FakeTeams::post_activity(std::uint16_t bot_port, const Json& activity,
                                               std::string_view authorization, std::chrono::milliseconds timeout) {
  HttpHeaders headers = {{"Content-Type", "application/json; charset=utf-8"},
                         {"User-Agent", "Microsoft-SkypeBotApi (Microsoft-BotFramework/3.0)"}};
  if (!authorization.empty()) headers.emplace_back("Authorization", std::string(authorization));
  HttpGot got = http_request(bot_port, "/api/messages", "POST", timeout, headers, activity.dump());
  return HttpAnswer{got.status, std::move(got.body), std::move(got.content_type)};
}

// ---- Activities

namespace {

std::atomic<long long> activity_counter{0};

std::string activity_id(const ActivityOptions& options) {
  return options.id.empty() ? "1712000000" + std::to_string(100 + ++activity_counter) : options.id;
}

std::string bot_id(const FakeTeams& teams) { return "28:" + teams.options().app_id; }

Json from_user(const ActivityOptions& options) {
  return {{"id", options.user}, {"name", options.user_name}, {"aadObjectId", options.user_aad}};
}

}  // namespace

Json personal_message(const FakeTeams& teams, std::string_view text, const ActivityOptions& options) {
  const std::string tenant = teams.options().tenant_id;
  return {{"type", "message"},
          {"id", activity_id(options)},
          {"timestamp", "2024-04-01T09:10:07.437Z"},
          {"serviceUrl", teams.base_url()},
          {"channelId", "msteams"},
          {"from", from_user(options)},
          {"conversation", {{"conversationType", "personal"}, {"tenantId", tenant}, {"id", "a:conv-" + options.user}}},
          {"recipient", {{"id", bot_id(teams)}, {"name", "microalign"}}},
          {"textFormat", "plain"},
          {"text", std::string(text)},
          {"entities", Json::array({{{"locale", "en-US"},
                                     {"country", "US"},
                                     {"platform", "Windows"},
                                     {"timezone", "Europe/Berlin"},
                                     {"type", "clientInfo"}}})},
          {"channelData", {{"tenant", {{"id", tenant}}}}},
          {"locale", "en-US"},
          {"localTimezone", "Europe/Berlin"}};
}

Json channel_mention(const FakeTeams& teams, std::string_view text, std::string_view channel_id,
                     const ActivityOptions& options) {
  const std::string id = activity_id(options);
  const std::string tenant = teams.options().tenant_id;
  const std::string channel(channel_id);
  return {{"type", "message"},
          {"id", id},
          {"timestamp", "2024-04-01T09:12:00.000Z"},
          {"serviceUrl", teams.base_url()},
          {"channelId", "msteams"},
          {"from", from_user(options)},
          {"conversation",
           {{"isGroup", true},
            {"conversationType", "channel"},
            {"tenantId", tenant},
            {"id", channel + ";messageid=" + id}}},
          {"recipient", {{"id", bot_id(teams)}, {"name", "microalign"}}},
          {"textFormat", "plain"},
          {"text", "<at>microalign</at> " + std::string(text) + "\n"},
          {"entities", Json::array({{{"type", "mention"},
                                     {"text", "<at>microalign</at>"},
                                     {"mentioned", {{"id", bot_id(teams)}, {"name", "microalign"}}}}})},
          {"channelData",
           {{"teamsChannelId", channel},
            {"teamsTeamId", "19:team-general@thread.tacv2"},
            {"channel", {{"id", channel}}},
            {"team", {{"id", "19:team-general@thread.tacv2"}}},
            {"tenant", {{"id", tenant}}}}},
          {"locale", "en-US"}};
}

Json bot_added_to_team(const FakeTeams& teams, std::string_view channel_id, const ActivityOptions& options) {
  const std::string tenant = teams.options().tenant_id;
  const std::string channel(channel_id);
  return {
      {"type", "conversationUpdate"},
      {"membersAdded", Json::array({{{"id", bot_id(teams)}}})},
      {"id", "f:" + activity_id(options)},
      {"channelId", "msteams"},
      {"serviceUrl", teams.base_url()},
      {"from", {{"id", options.user}, {"aadObjectId", options.user_aad}}},
      {"conversation",
       {{"isGroup", true},
        {"conversationType", "channel"},
        {"tenantId", tenant},
        {"id", channel},
        {"name", "General"}}},
      {"recipient", {{"id", bot_id(teams)}, {"name", "microalign"}}},
      {"channelData",
       {{"settings", {{"selectedChannel", {{"id", channel}}}}},
        {"team", {{"aadGroupId", "f3ec8cd2-e704-4344-8c47-9a3a21d683c0"}, {"name", "Engineering"}, {"id", channel}}},
        {"eventType", "teamMemberAdded"},
        {"tenant", {{"id", tenant}}}}}};
}

Json card_submit(const FakeTeams& teams, const Json& value, std::string_view reply_to_id,
                 std::string_view conversation_id, const ActivityOptions& options) {
  const std::string tenant = teams.options().tenant_id;
  const std::string conversation(conversation_id);
  Json activity = {{"type", "message"},
                   {"text", ""},
                   {"value", value},
                   {"id", "f:" + activity_id(options)},
                   {"channelId", "msteams"},
                   {"serviceUrl", teams.base_url()},
                   {"from", from_user(options)},
                   {"conversation", {{"id", conversation}, {"tenantId", tenant}}},
                   {"recipient", {{"id", bot_id(teams)}, {"name", "microalign"}}},
                   {"channelData", {{"tenant", {{"id", tenant}}}}},
                   {"replyToId", std::string(reply_to_id)}};
  if (conversation.starts_with("a:")) {
    activity["conversation"]["conversationType"] = "personal";
  } else {
    const std::string channel = conversation.substr(0, conversation.find(';'));
    activity["conversation"]["conversationType"] = "channel";
    activity["conversation"]["isGroup"] = true;
    activity["channelData"]["channel"] = {{"id", channel}};
    activity["channelData"]["team"] = {{"id", "19:team-general@thread.tacv2"}};
  }
  return activity;
}

std::string base64url(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(c);
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += alphabet[(bits >> count) & 0x3f];
    }
  }
  if (count > 0) out += alphabet[(bits << (6 - count)) & 0x3f];
  return out;
}

Reply connector_error(unsigned status, std::string_view code, std::string_view message) {
  return Reply::json({{"error", {{"code", std::string(code)}, {"message", std::string(message)}}}}, status);
}

Reply oauth_error(unsigned status, std::string_view error, std::string_view description) {
  return Reply::json({{"error", std::string(error)},
                      {"error_description", std::string(description)},
                      {"error_codes", Json::array()},
                      {"trace_id", "00000000-0000-0000-0000-000000000000"}},
                     status);
}

}  // namespace microalign::test
