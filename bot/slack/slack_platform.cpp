#include "microalign/slack/slack_platform.hpp"

#include <nlohmann/json.hpp>

#include "microalign/core/json_fields.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/payloads.hpp"
#include "microalign/slack/permalink.hpp"
#include "microalign/slack/web_api.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;
using storage::Delivery;

// Errors after which a message can never be delivered to that channel as it is.
bool cannot_post_in_channel(const std::string& e) {
  return e == "not_in_channel" || e == "channel_not_found" || e == "is_archived";
}

app::SendOutcome outcome_of(const ApiReply& reply, const std::string& conversation) {
  app::SendOutcome outcome;
  outcome.ok = reply.ok;
  outcome.error = reply.error;
  outcome.transient = reply.transient();
  outcome.cannot_post_here = cannot_post_in_channel(reply.error);
  outcome.rate_limited = reply.http_status == 429;  // Slack's limits are per method
  outcome.retry_after = reply.retry_after;
  if (reply.ok) {
    outcome.sent.conversation = conversation;
    outcome.sent.ref = json_string_member(reply.body, "ts", json_string_member(reply.body, "message_ts"));
  }
  return outcome;
}

app::SendOutcome failed(std::string why) {
  app::SendOutcome outcome;
  outcome.error = std::move(why);
  return outcome;
}

// The message as Slack takes it: Block Kit from the core Message, or the payload a row carried
// over from before the outbox was neutral. Nothing else in it yet: where it goes comes next.
std::optional<nlohmann::json> payload_of(const storage::OutboxMessage& m) {
  if (m.rendered.empty()) return to_block_kit(m.message);
  auto payload = nlohmann::json::parse(m.rendered, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return std::nullopt;
  return payload;
}

}  // namespace

SlackPlatform::SlackPlatform(asio::any_io_executor executor, asio::ssl::context& tls, const SlackConfig& config,
                             const Identity& identity, WebApi& interactive)
    : config_(config),
      identity_(identity),
      interactive_(interactive),
      sends_(std::make_unique<WebApi>(executor, tls, config)),
      background_(std::make_unique<WebApi>(executor, tls, config)) {}

SlackPlatform::~SlackPlatform() = default;

// Block Kit takes 50 blocks a message and 3,000 characters a section; these keep a margin.
app::MessageLimits SlackPlatform::limits() const { return {45, 2500}; }

asio::awaitable<app::SendOutcome> SlackPlatform::send(const storage::OutboxMessage& m, const std::string& conversation,
                                                      const std::optional<storage::SentMessage>& parent) {
  auto payload = payload_of(m);
  if (!payload) co_return failed("stored body is not a JSON object");
  switch (m.delivery) {
    case Delivery::post:
    case Delivery::direct: {
      (*payload)["channel"] = conversation;
      const auto thread = parent ? parent->ref : m.thread;
      if (!thread.empty()) (*payload)["thread_ts"] = thread;
      (*payload)["unfurl_links"] = false;  // a digest full of previews would not read in 30 seconds
      (*payload)["unfurl_media"] = false;
      co_return outcome_of(co_await sends_->call("chat.postMessage", std::move(*payload)), conversation);
    }
    case Delivery::update: {
      (*payload)["channel"] = conversation;
      (*payload)["ts"] = m.target;
      co_return outcome_of(co_await sends_->call("chat.update", std::move(*payload)), conversation);
    }
    case Delivery::reply:
    case Delivery::private_reply: {
      payload->erase("channel");
      payload->erase("thread_ts");
      (*payload)["response_type"] = m.delivery == Delivery::reply ? "in_channel" : "ephemeral";
      co_return outcome_of(co_await sends_->respond(m.reply_handle, std::move(*payload)), conversation);
    }
  }
  co_return failed("unknown delivery");
}

asio::awaitable<app::SendOutcome> SlackPlatform::open_direct(const std::string&, const std::string& user) {
  nlohmann::json args;  // (not a braced list: GCC 12 miscompiles those inside coroutines)
  args["users"] = user;
  auto reply = co_await sends_->call("conversations.open", std::move(args));
  auto outcome = outcome_of(reply, {});
  if (!reply.ok) co_return outcome;
  const auto channel = reply.body.find("channel");  // end() when the body is not an object
  outcome.sent.conversation = channel != reply.body.end() ? json_string_member(*channel, "id") : std::string{};
  outcome.sent.ref.clear();
  if (outcome.sent.conversation.empty()) co_return failed("conversations.open gave no channel");
  co_return outcome;
}

asio::awaitable<app::PersonInfo> SlackPlatform::look_up(const std::string&, const std::string& user,
                                                        std::chrono::milliseconds timeout, Urgency urgency) {
  nlohmann::json args;
  args["user"] = user;
  auto& api = urgency == Urgency::answering ? interactive_ : *background_;
  const auto reply = co_await api.call("users.info", std::move(args), TokenKind::bot, timeout);
  app::PersonInfo person;
  person.found = reply.ok;
  person.error = reply.error;
  if (reply.ok) {
    person.name = user_display_name(reply.body);
    person.time_zone = user_time_zone(reply.body);
  }
  co_return person;
}

std::string SlackPlatform::link_to(const Update& u) const { return update_permalink(identity_.workspace_url, u); }

void SlackPlatform::close() {
  sends_->close();
  background_->close();
}

}  // namespace microalign::slack
