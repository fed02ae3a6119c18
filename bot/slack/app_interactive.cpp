// A nudge DM's buttons (block_actions) and its update form (view_submission). Each answer is
// recorded, echoed to the ticket's channel when it is an update, and the DM is rewritten in
// place in the same transaction, so an answered ticket never invites a second click.
#include <nlohmann/json.hpp>

#include "microalign/core/labels.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/nudge_outcomes.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/text.hpp"
#include "microalign/slack/app.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/mrkdwn.hpp"
#include "microalign/slack/nudge_views.hpp"
#include "microalign/slack/outbox_sender.hpp"
#include "microalign/slack/payloads.hpp"
#include "microalign/slack/socket_mode.hpp"
#include "microalign/slack/web_api.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/transactions.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/nudge_messages.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/outbox.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;

// Slack allows 3,000 characters in the form's text box; anything longer did not come from it.
constexpr std::size_t max_form_bytes = 16 * 1024;
// views.open must be called within 3 seconds of the click (the trigger_id expires).
constexpr std::chrono::milliseconds form_deadline{2500};

std::optional<NudgeAnswer> answer_for(const std::string& action_id) {
  if (action_id == nudge_action::on_track) return NudgeAnswer::still_on_track;
  if (action_id == nudge_action::post_update) return NudgeAnswer::updated;
  if (action_id == nudge_action::snooze) return NudgeAnswer::snoozed;
  if (action_id == nudge_action::done) return NudgeAnswer::done;
  return std::nullopt;
}

// Whether the ticket is still as it was when the DM asked about it.
std::optional<StaleTicket> staleness(storage::Store& s, const std::string& team, const NudgeButtonValue& asked) {
  const auto timeline = s.ticket_timeline(team, asked.key);  // newest first
  if (timeline.empty()) return StaleTicket::unknown;
  for (const auto& u : timeline) {
    if (!u.parsed.state) continue;
    if (*u.parsed.state == TicketState::done) return StaleTicket::already_done;
    break;
  }
  if (timeline.front().id != asked.update_id) return StaleTicket::moved_on;
  return std::nullopt;
}

// A DM to rewrite: where it is, the blocks the click came with, and the ticket's buttons' value.
struct DmToRewrite {
  storage::MessageRef dm;
  std::string seen_blocks;
  std::string value;
};

// In the caller's transaction: replaces the ticket's buttons with `outcome`, starting from the
// blocks the bot last made for this DM (answers to other tickets stay answered), and queues the
// chat.update.
void rewrite_dm(storage::Store& s, const DmToRewrite& target, const RichText& outcome, SysTime now) {
  if (target.dm.channel.empty() || target.dm.ts.empty()) return;
  const auto stored = s.nudge_message_blocks(target.dm);
  auto blocks = nlohmann::json::parse(stored ? *stored : target.seen_blocks, nullptr, /*allow_exceptions=*/false);
  if (!answer_in_place(blocks, target.value, outcome)) return;  // answered already
  const auto dumped = blocks.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  s.remember_nudge_message(target.dm, dumped, now);
  nlohmann::json body;
  body["channel"] = target.dm.channel;
  body["ts"] = target.dm.ts;
  body["text"] = to_plain_text(outcome);
  body["blocks"] = std::move(blocks);
  storage::OutboxMessage m;
  m.team = target.dm.team;
  m.channel = target.dm.channel;
  m.method = "chat.update";
  m.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  m.created_at = now;
  m.not_before = now;
  s.enqueue(std::move(m));
}

// A status update from the owner about one ticket, as if they had typed `/status <text>`.
Update status_from_owner(const std::string& team, const std::string& channel, const std::string& user,
                         const RichText& body, const ParseOptions& options, SysTime now) {
  Update u;
  u.created_at = now;
  u.where = {team, channel, {}};
  u.user = user;
  u.source = UpdateSource::slash;
  u.parsed = parse_update(Command::status, body, options);
  return u;
}

RichText about_ticket(const NudgeButtonValue& ticket, const std::optional<Update>& latest) {
  RichText text{bold(ticket.key), plain(" in "), channel_ref(ticket.channel, ticket.channel)};
  if (!latest) return text;
  text.push_back(plain(" — last update: "));
  if (latest->parsed.state) {
    text.push_back(plain(state_label(*latest->parsed.state, latest->parsed.delay_days, latest->parsed.blocked_on) + " "));
  }
  text.push_back(italic(shortened(latest->parsed.text, 200)));
  return text;
}

}  // namespace

asio::awaitable<void> App::on_interactive(const Envelope& envelope, Ack& ack) {
  const auto type = interactive_type(envelope.payload);
  if (type == "block_actions") {
    co_await on_block_action(envelope, ack);
  } else if (type == "view_submission") {
    co_await on_view_submission(envelope, ack);
  } else {
    log::debug("slack", "interactive '" + type + "' acknowledged; nothing to do");
    ack.send();
  }
}

asio::awaitable<void> App::on_block_action(const Envelope& envelope, Ack& ack) {
  std::string why;
  auto action = read_block_action(envelope.payload, why);
  if (!action) {
    log::warn("slack", "block_actions payload unusable: " + why);
    ack.send();
    co_return;
  }
  const auto answer = answer_for(action->action_id);
  const auto asked = decode_nudge_button(action->value);
  if (!answer || !asked) {
    ack.send();
    log::info("slack", "a button this version does not know ('" + action->action_id + "') was clicked");
    co_await tell_clicker(*action, unknown_button_note());
    co_return;
  }
  if (*answer == NudgeAnswer::updated) {
    ack.send();  // the form opens with its own call
    co_await open_update_form(*action, *asked);
    co_return;
  }
  co_await answer_button(*action, *asked, *answer, ack);
}

asio::awaitable<void> App::answer_button(const BlockAction& action, const NudgeButtonValue& asked, NudgeAnswer answer,
                                         Ack& ack) {
  const auto now = now_();
  const RichText body{plain(asked.key + (answer == NudgeAnswer::done ? " done" : " still on track"))};
  auto update = status_from_owner(action.team, asked.channel, action.user, body, config_.parse, now);
  std::string author;  // (not a ?: around co_await: GCC 12 mishandles those)
  if (answer != NudgeAnswer::snoozed) author = co_await display_name(action.user);
  auto echo = echo_message(update, body, author, {});
  const DmToRewrite dm{{action.team, action.channel, action.message_ts}, action.message_blocks, action.value};

  std::optional<StaleTicket> stale;
  storage::Transactions::Work work = [&](storage::Store& s) {
    stale = staleness(s, action.team, asked);
    if (stale) {
      rewrite_dm(s, dm, render_stale_ticket(*stale, asked.key), now);
      return;
    }
    if (answer == NudgeAnswer::snoozed) {
      s.snooze(action.team, asked.key, now + std::chrono::days(nudge_button_snooze_days));
    } else {
      insert_with_echo(s, update, std::move(echo), author);
    }
    rewrite_dm(s, dm, render_nudge_answered(answer, asked.key, asked.channel), now);
  };
  auto done = co_await commit(commits_, std::move(work), config_.slack.ack_deadline);
  ack.send();
  if (!done.committed()) {
    log::error("slack", "answer to a nudge about " + asked.key + " not saved: " + done.error);
    co_await tell_clicker(action, render_nothing_changed().fallback);
    co_return;
  }
  sender_->wake();
  if (stale) {
    co_await tell_clicker(action, to_plain_text(render_stale_ticket(*stale, asked.key)));
    co_return;
  }
  log::info("slack", action.user + " answered the nudge about " + asked.key + " (" + action.action_id + ")");
}

asio::awaitable<void> App::open_update_form(const BlockAction& action, const NudgeButtonValue& asked) {
  std::optional<Update> latest;
  const storage::MessageRef dm{action.team, action.channel, action.message_ts};
  // The DM's blocks as they are now, so the form's answer rewrites this version of the message.
  storage::Transactions::Work read = [&](storage::Store& s) {
    auto timeline = s.ticket_timeline(action.team, asked.key);
    if (!timeline.empty()) latest = std::move(timeline.front());
    if (!action.message_blocks.empty() && !dm.ts.empty() && !s.nudge_message_blocks(dm)) {
      s.remember_nudge_message(dm, action.message_blocks, now_());
    }
  };
  co_await commit(commits_, std::move(read), form_deadline / 2);

  UpdateFormContext context{asked, action.channel, action.message_ts};
  nlohmann::json args;
  args["trigger_id"] = action.trigger_id;
  args["view"] = update_form(context, about_ticket(asked, latest));
  auto reply = co_await api_->call("views.open", std::move(args), TokenKind::bot, form_deadline);
  if (!reply.ok) {
    log::warn("slack", "views.open failed for " + asked.key + ": " + reply.error);
    co_await tell_clicker(action, "Sorry — Slack didn't let me open the form just now. You can post the update with "
                                  "`/status " + asked.key + " …` in the channel instead.");
  }
}

asio::awaitable<void> App::on_view_submission(const Envelope& envelope, Ack& ack) {
  std::string why;
  auto form = read_view_submission(envelope.payload, why);
  if (!form || form->callback_id != update_form_callback_id) {
    if (!form) log::warn("slack", "view_submission payload unusable: " + why);
    ack.send();
    co_return;
  }
  const auto context = decode_form_context(form->private_metadata);
  std::map<std::string, std::string> problem;
  const auto input = context ? read_update_form(form->values, problem) : std::nullopt;
  if (!context) problem["note"] = "Sorry — this form is from an older version of microalign. Please close it and "
                                  "post with /status instead.";
  if (!input) {
    ack.send(form_errors(problem));
    co_return;
  }
  const auto& asked = context->ticket;
  const auto note = sanitize_utf8(input->note, max_form_bytes);
  const RichText body{plain(note.empty() ? asked.key : asked.key + " — " + note)};
  const auto now = now_();
  auto update = status_from_owner(form->team, asked.channel, form->user, body, config_.parse, now);
  if (input->state) update.parsed.state = input->state;
  if (auto refusal = refusal_for(Command::status, update.parsed)) {
    problem["note"] = *refusal;
    ack.send(form_errors(problem));
    co_return;
  }
  const auto author = co_await display_name(form->user);
  auto echo = echo_message(update, body, author, {});
  const DmToRewrite dm{{form->team, context->dm_channel, context->dm_ts}, {}, encode_nudge_button(asked)};
  storage::Transactions::Work work = [&](storage::Store& s) {
    insert_with_echo(s, update, std::move(echo), author);
    rewrite_dm(s, dm, render_nudge_answered(NudgeAnswer::updated, asked.key, asked.channel), now);
  };
  auto stored = co_await commit(commits_, std::move(work), config_.slack.ack_deadline);
  if (!stored.committed()) {
    // The form stays open with the text in it: nothing typed is lost.
    log::error("slack", "update on " + asked.key + " from the form not saved: " + stored.error);
    problem["note"] = "Sorry — I couldn't save that just now. Please try Post again in a moment.";
    ack.send(form_errors(problem));
    co_return;
  }
  ack.send();
  log::info("slack", "stored update #" + std::to_string(update.id) + " on " + asked.key + " from a nudge's form");
  sender_->wake();
}

asio::awaitable<void> App::tell_clicker(const BlockAction& action, const std::string& note) {
  auto body = private_answer(note);
  body["replace_original"] = false;  // the DM itself is rewritten in place, or stays as it is
  if (!action.response_url.empty()) {
    co_await api_->respond(action.response_url, std::move(body));
    co_return;
  }
  body["channel"] = action.channel;
  body["user"] = action.user;
  co_await api_->call("chat.postEphemeral", std::move(body));
}

}  // namespace microalign::slack
