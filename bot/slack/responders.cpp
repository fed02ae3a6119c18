#include "microalign/slack/responders.hpp"

#include <nlohmann/json.hpp>

#include "microalign/core/log.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/nudge_views.hpp"
#include "microalign/slack/socket_mode.hpp"
#include "microalign/slack/web_api.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;

// views.open must be called within 3 seconds of the click (the trigger_id expires).
constexpr std::chrono::milliseconds form_deadline{2500};

nlohmann::json ephemeral(const Message& m) {
  auto body = to_block_kit(m);
  body["response_type"] = "ephemeral";
  return body;
}

}  // namespace

CommandResponder::CommandResponder(std::shared_ptr<Ack> ack, WebApi& api, std::string response_url)
    : ack_(std::move(ack)), api_(api), response_url_(std::move(response_url)) {}

void CommandResponder::acknowledge() { ack_->send(); }

asio::awaitable<void> CommandResponder::answer_privately(Message m) {
  if (!ack_->sent()) {
    ack_->send(ephemeral(m));
    co_return;
  }
  co_await api_.respond(response_url_, ephemeral(m));
}

EventResponder::EventResponder(std::shared_ptr<Ack> ack, WebApi& api, std::string channel, std::string user,
                               std::string thread)
    : ack_(std::move(ack)), api_(api), channel_(std::move(channel)), user_(std::move(user)), thread_(std::move(thread)) {}

void EventResponder::acknowledge() { ack_->send(); }

asio::awaitable<void> EventResponder::answer_privately(Message m) {
  ack_->send();  // an event's acknowledgement carries nothing
  auto args = to_block_kit(m);
  args["channel"] = channel_;
  args["user"] = user_;
  if (!thread_.empty()) args["thread_ts"] = thread_;
  co_await api_.call("chat.postEphemeral", std::move(args));
}

ButtonResponder::ButtonResponder(std::shared_ptr<Ack> ack, WebApi& api, Click click)
    : ack_(std::move(ack)), api_(api), click_(std::move(click)) {}

void ButtonResponder::acknowledge() { ack_->send(); }

asio::awaitable<void> ButtonResponder::answer_privately(Message m) {
  ack_->send();
  auto body = ephemeral(m);
  body["replace_original"] = false;  // the DM itself is rewritten in place, or stays as it is
  if (!click_.response_url.empty()) {
    co_await api_.respond(click_.response_url, std::move(body));
    co_return;
  }
  body["channel"] = click_.channel;
  body["user"] = click_.user;
  co_await api_.call("chat.postEphemeral", std::move(body));
}

asio::awaitable<bool> ButtonResponder::open_form(app::UpdateForm form) {
  nlohmann::json args;
  args["trigger_id"] = click_.trigger_id;
  args["view"] = update_form(form.ticket, form.about, form.context);
  const auto reply = co_await api_.call("views.open", std::move(args), TokenKind::bot, form_deadline);
  if (!reply.ok) log::warn("slack", "views.open failed for " + form.ticket + ": " + reply.error);
  co_return reply.ok;
}

FormResponder::FormResponder(std::shared_ptr<Ack> ack) : ack_(std::move(ack)) {}

void FormResponder::acknowledge() { ack_->send(); }

void FormResponder::keep_open(std::map<std::string, std::string> problems) { ack_->send(form_errors(problems)); }

}  // namespace microalign::slack
