#include "microalign/slack/receiver.hpp"

#include <nlohmann/json.hpp>

#include "microalign/app/bot.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/text.hpp"
#include "microalign/slack/mrkdwn.hpp"
#include "microalign/slack/nudge_views.hpp"
#include "microalign/slack/payloads.hpp"
#include "microalign/slack/responders.hpp"
#include "microalign/slack/socket_mode.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;

// Slack's limit for a slash command's text is 4,000 characters in practice; anything far
// beyond is hostile or broken, and is cut before it reaches the parser or the store. The cut is
// in bytes, so it leaves room for 10,000 characters of any script (four bytes each at most) and
// the command around them: a long update is kept whole, not cut where nobody can see it.
constexpr std::size_t max_text_bytes = 48 * 1024;
// Slack allows 3,000 characters in the form's text box; anything longer did not come from it.
constexpr std::size_t max_form_bytes = 16 * 1024;

RichText decoded(const std::string& slack_text) { return decode(sanitize_utf8(slack_text, max_text_bytes)); }

// Kept among the events' ids, so prefixed: an envelope id is never taken for an event's.
std::string slash_command_event_id(const std::string& envelope_id) { return "slash-envelope:" + envelope_id; }

}  // namespace

Receiver::Receiver(app::Bot& bot, app::Platform& platform, WebApi& interactive, const Identity& identity)
    : bot_(bot), platform_(platform), api_(interactive), identity_(identity) {}

asio::awaitable<void> Receiver::on_envelope(Envelope envelope, std::shared_ptr<Ack> ack) {
  if (envelope.type == "slash_commands") {
    co_await on_slash_command(envelope, ack);
  } else if (envelope.type == "events_api") {
    co_await on_event(envelope, ack);
  } else if (envelope.type == "interactive") {
    co_await on_interactive(envelope, ack);
  } else {
    log::warn("slack", "acknowledged an envelope of unknown type '" + envelope.type + "'");
    ack->send();
  }
}

asio::awaitable<void> Receiver::on_slash_command(const Envelope& envelope, const std::shared_ptr<Ack>& ack) {
  std::string why;
  auto slash = read_slash_command(envelope.payload, why);
  if (!slash) {
    log::warn("slack", "slash command payload unusable: " + why);
    CommandResponder responder(ack, api_, {});
    co_await responder.answer_privately(
        render_refusal("Sorry — Slack sent that command in a form I couldn't read. Please try again."));
    co_return;
  }
  CommandResponder responder(ack, api_, slash->response_url);
  const Conversation where{slash->team, slash->channel, {}};
  const app::Person who{slash->user, slash->user_name};
  // (Events are named locals, never braced temporaries: GCC 12 miscompiles those in coroutines.)
  if (slash->command == "/microalign") {
    app::CommandIssued command;
    command.where = where;
    command.asker = who;
    command.text = decoded(slash->text);
    command.reply_handle = slash->response_url;
    co_await bot_.on_command(platform_, std::move(command), responder);
    co_return;
  }
  app::UpdatePosted posted;
  posted.command = slash->command;
  posted.kind = command_from_string(slash->command);
  posted.where = where;
  posted.author = who;
  posted.text = decoded(slash->text);
  posted.reply_handle = slash->response_url;
  // A slash command has no event_id: Slack redelivers one it got no ack for under the same
  // envelope_id, so that is what recognises it (a bot killed between its commit and its ack
  // stored it twice).
  posted.event_id = slash_command_event_id(envelope.envelope_id);
  co_await bot_.on_update(platform_, std::move(posted), responder);
}

asio::awaitable<void> Receiver::on_event(const Envelope& envelope, const std::shared_ptr<Ack>& ack) {
  const auto type = event_type(envelope.payload);
  std::string why;
  if (type == "reaction_added") {
    const auto reaction = read_reaction(envelope.payload, why);
    if (!reaction || !is_answer_reaction(reaction->reaction)) {
      ack->send();
      co_return;
    }
    EventResponder responder(ack, api_, reaction->channel, reaction->user);
    app::PossibleAnswer answer{app::PossibleAnswer::Kind::reaction, reaction->team, reaction->channel, reaction->user,
                               reaction->item_ts};
    co_await bot_.on_possible_answer(platform_, std::move(answer), responder);
    co_return;
  }
  if (type == "message") {
    const auto reply = read_thread_reply(envelope.payload, why);
    if (!reply) {
      ack->send();
      co_return;
    }
    EventResponder responder(ack, api_, reply->channel, reply->user, reply->thread_ts);
    app::PossibleAnswer answer{app::PossibleAnswer::Kind::reply, reply->team, reply->channel, reply->user,
                               reply->thread_ts};
    co_await bot_.on_possible_answer(platform_, std::move(answer), responder);
    co_return;
  }
  if (type != "app_mention") {
    log::debug("slack", "event '" + type + "' acknowledged; nothing to do");
    ack->send();
    co_return;
  }
  auto mention = read_mention(envelope.payload, why);
  if (!mention) {
    log::warn("slack", "app_mention unusable: " + why);
    ack->send();
    co_return;
  }
  if (envelope.retry_attempt > 0) {
    log::info("slack", "event " + mention->event_id + " redelivered (attempt " + std::to_string(envelope.retry_attempt) +
                           ", " + envelope.retry_reason + ")");
  }
  // The echo goes into the mention's thread: the mention itself is already in the channel.
  const auto thread = mention->thread_ts.empty() ? mention->ts : mention->thread_ts;
  EventResponder responder(ack, api_, mention->channel, mention->user, thread);
  app::UpdatePosted posted;
  posted.command = "@" + identity_.bot_name;
  posted.kind = Command::mention;
  posted.where = {mention->team, mention->channel, mention->thread_ts};
  posted.author = {mention->user, {}};
  posted.text = without_mention_of(decoded(mention->text), identity_.bot_user_id);
  posted.event_id = mention->event_id;
  posted.source_ref = mention->ts;
  posted.echo_thread = thread;
  co_await bot_.on_update(platform_, std::move(posted), responder);
}

asio::awaitable<void> Receiver::on_interactive(const Envelope& envelope, const std::shared_ptr<Ack>& ack) {
  const auto type = interactive_type(envelope.payload);
  std::string why;
  if (type == "block_actions") {
    auto action = read_block_action(envelope.payload, why);
    if (!action) {
      log::warn("slack", "block_actions payload unusable: " + why);
      ack->send();
      co_return;
    }
    ButtonResponder responder(ack, api_, {action->channel, action->user, action->response_url, action->trigger_id});
    app::ButtonPressed button;
    button.team = action->team;
    button.who = {action->user, action->user_name};
    button.action_id = action->action_id;
    button.value = action->value;
    button.conversation = action->channel;
    button.message_ref = action->message_ts;
    if (!action->message_blocks.empty()) {
      button.shown = from_block_kit(nlohmann::json::parse(action->message_blocks, nullptr, /*allow_exceptions=*/false));
    }
    co_await bot_.on_button(platform_, std::move(button), responder);
    co_return;
  }
  if (type == "view_submission") {
    auto form = read_view_submission(envelope.payload, why);
    if (!form || form->callback_id != update_form_callback_id) {
      if (!form) log::warn("slack", "view_submission payload unusable: " + why);
      ack->send();
      co_return;
    }
    FormResponder responder(ack);
    const auto values = form_values(form->values);
    app::FormSubmitted submitted;
    submitted.team = form->team;
    submitted.who = {form->user, form->user_name};
    submitted.context = form->private_metadata;
    submitted.state = values.state;
    submitted.note = sanitize_utf8(values.note, max_form_bytes);
    co_await bot_.on_form(platform_, std::move(submitted), responder);
    co_return;
  }
  log::debug("slack", "interactive '" + type + "' acknowledged; nothing to do");
  ack->send();
}

}  // namespace microalign::slack
