#include "microalign/teams/adapter.hpp"

#include <algorithm>
#include <array>

#include "microalign/app/bot.hpp"
#include "microalign/app/transact.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/update_form.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/teams/activity.hpp"
#include "microalign/teams/adaptive_card.hpp"
#include "microalign/teams/openid_keys.hpp"
#include "microalign/teams/responders.hpp"
#include "microalign/teams/teams_platform.hpp"
#include "microalign/teams/token_client.hpp"

namespace microalign::teams {
namespace {

namespace asio = boost::asio;

// Teams retries an activity it had no answer to within 15 s: the ids of the last few thousand are
// plenty to recognise every retry.
constexpr std::size_t remembered_activities = 4096;

net::ServerResponse status(unsigned code) {
  net::ServerResponse response;
  response.status = code;
  return response;
}

// An activity's type as a metrics label: the types Teams sends a bot, "other" for any other, and
// "none" before one is read. The type is whatever the request said, authenticated or not: it never
// becomes a label of its own.
std::string_view type_label(std::string_view type) {
  constexpr std::string_view known[] = {
      "message", "conversationUpdate", "invoke", "messageReaction", "installationUpdate", "typing", "event"};
  if (type.empty()) return "none";
  for (const auto k : known) {
    if (k == type) return k;
  }
  return "other";
}

// The form a card's "Post" carried: the ticket its buttons are about and the card to rewrite.
std::string form_context(const CardClick& click, const Activity& a) {
  const auto ticket = decode_nudge_button(click.value);
  if (!ticket) return {};  // not from a card of ours: the application says so
  return encode_form_context({*ticket, a.conversation_id, a.reply_to_id});
}

std::string field(const CardClick& click, std::string_view id) {
  const auto it = click.fields.find(std::string(id));
  return it == click.fields.end() ? std::string{} : it->second;
}

}  // namespace

Adapter::Adapter(asio::any_io_executor executor, const TeamsConfig& config, storage::Transactions& transactions,
                 app::Clock now)
    : config_(config),
      transactions_(transactions),
      now_(now),
      tls_(net::make_client_tls_context()),
      keys_(std::make_unique<OpenIdKeys>(executor, tls_, config.openid_metadata_url, now, config.api_timeout)),
      platform_(std::make_unique<TeamsPlatform>(executor, tls_, config, transactions, now)),
      activities_(metrics::default_registry().counter(
          "microalign_teams_activities_total",
          "Requests to /api/messages, by activity type and outcome (accepted, failed, duplicate, unauthorized, "
          "bad_request, unavailable).",
          {"type", "outcome"})) {
  rules_.app_id = config.app_id;
}

void Adapter::count(std::string_view type, std::string_view outcome) {
  activities_.with({type_label(type), outcome}).inc();
}

Adapter::~Adapter() = default;

app::Platform& Adapter::platform() { return *platform_; }

asio::awaitable<std::string> Adapter::sign_in() {
  const auto token = co_await platform_->tokens().authorization();
  if (const auto* error = std::get_if<TokenError>(&token)) {
    if (!error->transient) {
      co_return "Microsoft's login refused the Teams bot's credentials (" + error->reason +
          "): check MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId";
    }
    log::warn("teams", "no connector token yet (" + error->reason + "); trying again when the first message is sent");
  }
  const auto keys = co_await keys_->refresh();
  if (!keys.empty())
    log::warn("teams",
              "the Bot Framework's signing keys were not fetched (" + keys + "); trying again on the first activity");
  log::info("teams", "ready for activities for app " + config_.app_id);
  co_return std::string{};
}

void Adapter::serve(app::Bot& bot) { bot_ = &bot; }

void Adapter::stop() { stopping_ = true; }

void Adapter::close() {
  keys_->close();
  platform_->close();
}

bool Adapter::first_time(const std::string& activity_id) {
  if (!seen_.insert(activity_id).second) return false;
  seen_order_.push_back(activity_id);
  if (seen_order_.size() > remembered_activities) {
    seen_.erase(seen_order_.front());
    seen_order_.pop_front();
  }
  return true;
}

asio::awaitable<std::optional<AuthFailure>> Adapter::authenticate(const net::ServerRequest& request,
                                                                  const Activity& a) {
  const auto& authorization = request.header("authorization");
  std::optional<Jwk> key;
  if (const auto kid = token_key_id(authorization)) key = co_await keys_->key(*kid);
  const auto find_key = [&key](std::string_view kid) -> const Jwk* { return key && key->kid == kid ? &*key : nullptr; };
  const auto verdict = validate_channel_token(authorization, find_key, rules_, a.channel_id, a.service_url, now_());
  if (const auto* failure = std::get_if<AuthFailure>(&verdict)) co_return *failure;
  co_return std::nullopt;
}

asio::awaitable<void> Adapter::remember_route(const Activity& a) {
  if (!platform_->heard(a)) co_return;
  const auto conversation = split_thread(a.conversation_id).conversation;
  storage::Transactions::Work record = [&](storage::Store& s) {
    s.remember_route("teams", a.tenant_id, conversation, a.service_url, now_());
  };
  const auto stored = co_await app::transact(transactions_, std::move(record), config_.ack_deadline);
  if (!stored.committed()) log::warn("teams", "the address of " + conversation + " was not stored: " + stored.error);
}

asio::awaitable<net::ServerResponse> Adapter::handle(net::ServerRequest request) {
  if (stopping_ || !bot_) {
    count({}, "unavailable");
    co_return status(503);
  }
  if (request.method != "POST") {
    count({}, "bad_request");
    co_return status(405);
  }
  std::string why;
  const auto activity = read_activity(request.body, why);
  if (!activity) {
    log::info("teams", "refused a request to /api/messages: " + why);
    count({}, "bad_request");
    co_return status(400);
  }
  if (const auto failure = co_await authenticate(request, *activity)) {
    // The rule it broke, never the token: enough to tell a misconfigured bot from an attack.
    log::warn("teams", "refused an unauthenticated activity: " + std::string(to_string(*failure)));
    count(activity->type, "unauthorized");
    co_return status(401);
  }
  if (!activity->id.empty() && !first_time(activity->id)) {
    log::info("teams", "activity " + activity->id + " again (Teams retries slow answers): answered already");
    count(activity->type, "duplicate");
    co_return status(200);
  }
  co_await remember_route(*activity);
  const bool acknowledged = co_await dispatch(*activity);
  // Not acknowledged: storing failed, and Teams may deliver it again.
  count(activity->type, acknowledged ? "accepted" : "failed");
  co_return status(acknowledged ? 200 : 500);
}

asio::awaitable<bool> Adapter::dispatch(const Activity& a) {
  const auto thread = split_thread(a.conversation_id);
  const Asker asker{a.tenant_id, a.from.id, a.personal() ? a.conversation_id : std::string{}};
  const app::Person who{a.from.id, a.from.name, a.time_zone};
  if (a.type == "conversationUpdate") {
    Responder responder(*platform_, asker);
    const auto bot_among = [&](const std::vector<Account>& members) {
      return std::any_of(members.begin(), members.end(), [&](const Account& m) { return m.id == a.recipient.id; });
    };
    constexpr std::array joined_or_left{true, false};  // (a named array: GCC 12 and coroutines)
    for (const bool joined : joined_or_left) {
      if (!bot_among(joined ? a.members_added : a.members_removed)) continue;
      app::MembershipChanged change{a.tenant_id, thread.conversation, a.recipient.id, joined, true};
      co_await bot_->on_membership(*platform_, std::move(change), responder);
    }
    co_return true;
  }
  if (a.type != "message") co_return true;  // reactions, edits, typing…: nothing to do
  if (!a.value.is_null()) {
    const auto click = read_card_click(a.value);
    if (!click) {
      log::info("teams", "a click on a card that is not ours, or from an older version");
      co_return true;
    }
    if (!click->fields.empty()) {
      FormResponder responder(*platform_, asker);
      app::FormSubmitted form;
      form.team = a.tenant_id;
      form.who = who;
      form.context = form_context(*click, a);
      form.state = field(*click, update_form_field::state);
      form.note = field(*click, update_form_field::note);
      co_await bot_->on_form(*platform_, std::move(form), responder);
      co_await responder.finish();
      co_return responder.acknowledged();
    }
    Responder responder(*platform_, asker);
    app::ButtonPressed button;
    button.team = a.tenant_id;
    button.who = who;
    button.action_id = click->action_id;
    button.value = click->value;
    button.conversation = a.conversation_id;
    button.message_ref = a.reply_to_id;
    co_await bot_->on_button(*platform_, std::move(button), responder);
    co_return responder.acknowledged();
  }
  Responder responder(*platform_, asker);
  app::MessageToBot message;
  // A thread's root is its first message: a message that is its own root is not in a thread.
  const auto in_thread = thread.root.empty() || thread.root == a.id ? std::string{} : thread.root;
  message.where = {a.tenant_id, thread.conversation, in_thread};
  message.author = who;
  message.text = message_text(a);
  message.event_id = "teams:" + a.id;
  message.source_ref = a.id;
  // The echo answers in the message's thread; a chat has none (the echo follows in the chat).
  if (!a.personal() && a.conversation_type != "groupChat")
    message.echo_thread = thread.root.empty() ? a.id : thread.root;
  co_await bot_->on_message(*platform_, std::move(message), responder);
  co_return responder.acknowledged();
}

}  // namespace microalign::teams
