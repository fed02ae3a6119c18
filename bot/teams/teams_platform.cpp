#include "microalign/teams/teams_platform.hpp"

#include <nlohmann/json.hpp>

#include "microalign/app/transact.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/outside_json.hpp"
#include "microalign/net/https_client.hpp"
#include "microalign/net/url.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/teams/activity.hpp"
#include "microalign/teams/adaptive_card.hpp"
#include "microalign/teams/token_client.hpp"

namespace microalign::teams {
namespace {

namespace asio = boost::asio;
using storage::Delivery;

app::SendOutcome failed(std::string why) {
  app::SendOutcome outcome;
  outcome.error = std::move(why);
  return outcome;
}

// The connector's own reason, from an error body {"error": {"code": …}} when it gives one.
std::string reason_of(const net::HttpResponse& response) {
  const auto body = read_outside_json(response.body).value;
  const auto error = body.is_object() ? body.find("error") : body.end();
  const std::string code = error != body.end() ? json_string_member(*error, "code") : std::string{};
  return "HTTP " + std::to_string(response.status) + (code.empty() ? "" : " (" + code + ")");
}

// What the connector's answer means for the message (shared/protocols/teams.md §3.4): retry only
// 412, 429, 502, 503 and 504, as Teams asks; 403 and 404 say the bot cannot post there (blocked,
// removed, gone); anything else will not get better by trying again.
app::SendOutcome outcome_of(const net::HttpResponse& response, const std::string& conversation) {
  app::SendOutcome outcome;
  if (response.status / 100 == 2) {
    outcome.ok = true;
    outcome.sent.conversation = conversation;
    const auto body = read_outside_json(response.body).value;
    outcome.sent.ref = json_string_member(body, "id");
    return outcome;
  }
  outcome.error = reason_of(response);
  const auto s = response.status;
  outcome.transient = s == 412 || s == 429 || s == 502 || s == 503 || s == 504;
  outcome.cannot_post_here = s == 403 || s == 404;
  outcome.retry_after = response.retry_after;
  return outcome;
}

// The message as Teams takes it: one card in one activity, or a payload already rendered.
std::optional<nlohmann::json> activity_of(const storage::OutboxMessage& m) {
  if (m.rendered.empty()) return to_teams_activity(m.message);
  auto activity = nlohmann::json::parse(m.rendered, nullptr, /*allow_exceptions=*/false);
  if (!activity.is_object()) return std::nullopt;
  return activity;
}

std::string conversation_path(const std::string& conversation) {
  return "v3/conversations/" + net::percent_encode(conversation) + "/activities";
}

}  // namespace

CommandSpelling mention_commands() {
  return {"@microalign ", "@microalign ", "adding microalign to the team (Apps → Manage apps)"};
}

TeamsPlatform::TeamsPlatform(asio::any_io_executor executor, asio::ssl::context& tls, const TeamsConfig& config,
                             storage::Transactions& transactions, app::Clock now)
    : config_(config),
      tls_(tls),
      executor_(executor),
      transactions_(transactions),
      tokens_(std::make_unique<TokenClient>(executor, tls, config, std::move(now))),
      calls_(metrics::default_registry().counter(
          "microalign_teams_connector_calls_total",
          "Bot Connector calls, by what they did (send, reply, update, create) and HTTP status (error: no answer).",
          {"method", "status"})),
      rate_limited_(metrics::default_registry().counter("microalign_teams_connector_rate_limited_total",
                                                        "Bot Connector calls answered 429 (rate limited), by method.",
                                                        {"method"})) {}

void TeamsPlatform::count(std::string_view what, unsigned http_status) {
  calls_.with({what, metrics::StatusLabel(http_status)}).inc();
  if (http_status == 429) rate_limited_.with({what}).inc();
}

TeamsPlatform::~TeamsPlatform() = default;

// A card holds less than a Slack message (28 KB, its forms inside): digests go on in further
// posts sooner, and a nudge DM shows fewer tickets (each with its form).
app::MessageLimits TeamsPlatform::limits() const { return {10, 2500, 6}; }

bool TeamsPlatform::heard(const Activity& a) {
  if (!a.from.id.empty() && !a.from.id.starts_with("28:")) {
    auto& person = people_[a.from.id];
    if (!a.from.name.empty()) person.name = a.from.name;
    if (!a.time_zone.empty()) person.time_zone = a.time_zone;
  }
  const auto conversation = split_thread(a.conversation_id).conversation;
  if (a.service_url.empty() || conversation.empty()) return false;
  if (!a.tenant_id.empty()) team_addresses_[a.tenant_id] = a.service_url;
  auto& address = addresses_[conversation];
  if (address == a.service_url) return false;
  address = a.service_url;
  return true;
}

asio::awaitable<std::string> TeamsPlatform::address_of(const std::string& team, const std::string& conversation) {
  if (const auto heard = addresses_.find(conversation); heard != addresses_.end()) co_return heard->second;
  const auto stored = co_await app::query<std::optional<std::string>>(
      transactions_, [&](storage::Store& s) { return s.route(std::string(name()), team, conversation); });
  if (stored && *stored) co_return **stored;
  if (const auto team_address = team_addresses_.find(team); team_address != team_addresses_.end()) {
    co_return team_address->second;
  }
  co_return std::string{};
}

net::HttpsClient& TeamsPlatform::client_for(const std::string& host, const std::string& port) {
  auto& client = clients_[host + ":" + port];
  if (!client) client = std::make_unique<net::HttpsClient>(executor_, tls_, host, port);
  return *client;
}

asio::awaitable<app::SendOutcome> TeamsPlatform::call(std::string_view what, const std::string& method,
                                                      const std::string& address, const std::string& path,
                                                      const nlohmann::json& body, const std::string& conversation) {
  const auto base = net::Url::parse(address);
  if (!base || base->scheme != "https") co_return failed("the conversation's serviceUrl is not an https URL");
  auto authorization = co_await tokens_->authorization();
  if (auto* error = std::get_if<TokenError>(&authorization)) {
    auto outcome = failed("no token for the Bot Connector: " + error->reason);
    outcome.transient = error->transient;
    co_return outcome;
  }
  auto target = base->target;
  if (!target.ends_with('/')) target += '/';
  net::HttpRequest request;
  request.target = target + path;
  request.content_type = "application/json; charset=utf-8";
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.authorization = std::get<std::string>(std::move(authorization));
  request.method = method == "PUT" ? net::HttpMethod::put : net::HttpMethod::post;
  const auto response = co_await client_for(base->host, base->port).request(std::move(request), config_.api_timeout);
  count(what, response ? response->status : 0);
  if (!response) {
    auto outcome = failed(response.error().message());
    outcome.transient = true;  // the network, or the connector's bad moment
    co_return outcome;
  }
  if (response->status == 401) {
    tokens_->forget();  // refused: the next attempt fetches a new token
    auto outcome = failed("HTTP 401 from the Bot Connector: the bot's token was refused");
    outcome.transient = true;
    co_return outcome;
  }
  co_return outcome_of(*response, conversation);
}

asio::awaitable<app::SendOutcome> TeamsPlatform::send(const storage::OutboxMessage& m, const std::string& conversation,
                                                      const std::optional<storage::SentMessage>& parent) {
  auto activity = activity_of(m);
  if (!activity) co_return failed("stored activity is not a JSON object");
  const auto address = co_await address_of(m.team, conversation);
  if (address.empty()) co_return failed("no serviceUrl known for " + conversation + ": the bot has not heard from it");
  switch (m.delivery) {
    case Delivery::post:
    case Delivery::direct: {
      // A reply goes into its thread by the thread's conversation id; the bare channel id makes
      // a new post (teams.md §3.2).
      const auto root = parent ? parent->ref : m.thread;
      const auto target = thread_conversation(conversation, root);
      const std::string_view what = root.empty() ? "send" : "reply";  // a reply: into the thread
      co_return co_await call(what, "POST", address, conversation_path(target), *activity, conversation);
    }
    case Delivery::update: {
      (*activity)["id"] = m.target;
      co_return co_await call("update", "PUT", address,
                              conversation_path(conversation) + "/" + net::percent_encode(m.target), *activity,
                              conversation);
    }
    case Delivery::reply:
    case Delivery::private_reply:
      break;  // Teams has no command with an answer channel of its own: never queued for it
  }
  co_return failed("Teams has no command replies");
}

asio::awaitable<app::SendOutcome> TeamsPlatform::open_direct(const std::string& team, const std::string& user) {
  const auto address = co_await address_of(team, {});
  if (address.empty()) co_return failed("no serviceUrl known for tenant " + team + ": the bot has not heard from it");
  nlohmann::json create;
  create["bot"]["id"] = "28:" + config_.app_id;
  create["members"] = nlohmann::json::array();
  create["members"].push_back({{"id", user}});
  create["isGroup"] = false;
  create["tenantId"] = team;
  create["channelData"]["tenant"]["id"] = team;
  auto outcome = co_await call("create", "POST", address, "v3/conversations", create, {});
  if (!outcome.ok) co_return outcome;
  outcome.sent.conversation = outcome.sent.ref;  // the new conversation's id
  outcome.sent.ref.clear();
  if (outcome.sent.conversation.empty()) co_return failed("the Bot Connector gave no conversation id");
  addresses_[outcome.sent.conversation] = address;
  co_return outcome;
}

asio::awaitable<app::SendOutcome> TeamsPlatform::tell(const std::string& team, const std::string& user,
                                                      const std::string& conversation, const Message& message) {
  auto where = conversation;
  if (where.empty()) {
    const auto opened = co_await open_direct(team, user);
    if (!opened.ok) co_return opened;
    where = opened.sent.conversation;
  }
  const auto address = co_await address_of(team, where);
  const auto activity = to_teams_activity(message);
  co_return co_await call("send", "POST", address, conversation_path(where), activity, where);
}

asio::awaitable<app::PersonInfo> TeamsPlatform::look_up(const std::string&, const std::string& user,
                                                        std::chrono::milliseconds, Urgency) {
  app::PersonInfo info;
  const auto person = people_.find(user);
  if (person == people_.end()) {
    info.error = "not heard from since the bot started";
    co_return info;
  }
  info.found = true;
  info.name = person->second.name;
  info.time_zone = person->second.time_zone;
  co_return info;
}

void TeamsPlatform::close() {
  for (auto& [origin, client] : clients_) client->close();
  tokens_->close();
}

}  // namespace microalign::teams
