// A nudge DM's buttons and its update form. Each answer is recorded, echoed to the ticket's
// channel when it is an update, and the DM is rewritten in place in the same transaction, so an
// answered ticket never invites a second click.
#include "microalign/app/bot.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/core/labels.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/nudge_outcomes.hpp"
#include "microalign/core/text.hpp"
#include "microalign/core/update_form.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;

// Like a name before an echo: the answer must not wait long for it.
constexpr std::chrono::milliseconds name_lookup_before_ack{800};
// Platforms want a form opened quickly after the click (Slack: within 3 seconds).
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

// A DM to rewrite: where it is, how the platform showed it (if it says), and the ticket's
// buttons' value.
struct DmToRewrite {
  storage::MessageRef dm;
  std::optional<Message> shown;
  std::string value;
};

// In the caller's transaction: replaces the ticket's buttons with `outcome`, starting from the
// version the bot kept of this DM (answers to other tickets stay answered), or else from the DM
// as shown, and queues the update in place.
void rewrite_dm(storage::Store& s, const DmToRewrite& target, const RichText& outcome, SysTime now) {
  if (target.dm.conversation.empty() || target.dm.ref.empty()) return;
  auto dm = s.interactive_message(target.dm);
  if (!dm) dm = target.shown;
  if (!dm || !answer_in_place(*dm, target.value, outcome)) return;  // answered already
  dm->fallback = to_plain_text(outcome);
  s.keep_interactive(target.dm, *dm, now);
  storage::OutboxMessage m;
  m.platform = target.dm.platform;
  m.team = target.dm.team;
  m.destination = target.dm.conversation;
  m.delivery = storage::Delivery::update;
  m.target = target.dm.ref;
  m.message = std::move(*dm);
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

asio::awaitable<void> Bot::on_button(Platform& platform, ButtonPressed button, ButtonResponder& responder) {
  const auto answer = answer_for(button.action_id);
  const auto asked = decode_nudge_button(button.value);
  if (!answer || !asked) {
    responder.acknowledge();
    log::info("bot", "a button this version does not know ('" + button.action_id + "') was clicked");
    co_await responder.answer_privately(render_refusal(unknown_button_note(platform.spelling())));
    co_return;
  }
  if (*answer == NudgeAnswer::updated) {
    responder.acknowledge();  // the form opens on its own
    co_await open_update_form(platform, button, *asked, responder);
    co_return;
  }
  co_await answer_button(platform, button, *asked, *answer, responder);
}

asio::awaitable<void> Bot::answer_button(Platform& platform, const ButtonPressed& button, const NudgeButtonValue& asked,
                                         NudgeAnswer answer, Responder& responder) {
  const auto now = now_();
  const RichText body{plain(asked.key + (answer == NudgeAnswer::done ? " done" : " still on track"))};
  auto update = status_from_owner(button.team, asked.channel, button.who.id, body, options_.parse, now);
  std::string author;  // (not a ?: around co_await: GCC 12 mishandles those)
  if (answer != NudgeAnswer::snoozed) {
    author = co_await display_name(platform, button.team, button.who.id, name_lookup_before_ack);
  }
  auto echo = echo_message(platform, update, body, author, {}, {});
  const DmToRewrite dm{{std::string(platform.name()), button.team, button.conversation, button.message_ref},
                       button.shown, button.value};

  std::optional<StaleTicket> stale;
  const auto spelling = platform.spelling();
  Work work = [&](storage::Store& s) {
    stale = staleness(s, button.team, asked);
    if (stale) {
      rewrite_dm(s, dm, render_stale_ticket(*stale, asked.key, spelling), now);
      return;
    }
    if (answer == NudgeAnswer::snoozed) {
      s.snooze(button.team, asked.key, now + std::chrono::days(nudge_button_snooze_days));
    } else {
      insert_with_echo(s, update, echo, author);  // a copy: the work may run again
    }
    rewrite_dm(s, dm, render_nudge_answered(answer, asked.key, asked.channel), now);
  };
  const auto done = co_await transact(transactions_, std::move(work), platform.answer_within());
  responder.acknowledge();
  if (!done.committed()) {
    log::error("bot", "answer to a nudge about " + asked.key + " not saved: " + done.error);
    co_await responder.answer_privately(render_refusal(render_nothing_changed().fallback));
    co_return;
  }
  platforms_.wake(platform.name());
  if (stale) {
    co_await responder.answer_privately(
        render_refusal(to_plain_text(render_stale_ticket(*stale, asked.key, spelling))));
    co_return;
  }
  log::info("bot", button.who.id + " answered the nudge about " + asked.key + " (" + button.action_id + ")");
}

asio::awaitable<void> Bot::open_update_form(Platform& platform, const ButtonPressed& button,
                                            const NudgeButtonValue& asked, ButtonResponder& responder) {
  std::optional<Update> latest;
  const storage::MessageRef dm{std::string(platform.name()), button.team, button.conversation, button.message_ref};
  // The DM as it is now, so the form's answer rewrites this version of the message.
  Work read = [&, now = now_()](storage::Store& s) {
    auto timeline = s.ticket_timeline(button.team, asked.key);
    if (!timeline.empty()) latest = std::move(timeline.front());
    if (button.shown && !dm.ref.empty() && !s.interactive_message(dm)) s.keep_interactive(dm, *button.shown, now);
  };
  co_await transact(transactions_, std::move(read), form_deadline / 2);

  UpdateForm form{asked.key, about_ticket(asked, latest),
                  encode_form_context({asked, button.conversation, button.message_ref})};
  if (!co_await responder.open_form(std::move(form))) {
    log::warn("bot", "the update form for " + asked.key + " could not be opened");
    co_await responder.answer_privately(
        render_refusal("Sorry — I couldn't open the form just now. You can post the update with " +
                       platform.spelling().code("status " + asked.key + " …") + " in the channel instead."));
  }
}

asio::awaitable<void> Bot::on_form(Platform& platform, FormSubmitted form, FormResponder& responder) {
  const auto context = decode_form_context(form.context);
  std::map<std::string, std::string> problems;
  const auto input = context ? read_update_form(form.state, form.note, problems) : std::nullopt;
  const auto spelling = platform.spelling();
  if (!context) {
    problems[std::string(update_form_field::note)] =
        "Sorry — this form is from an older version of microalign. Please "
        "close it and post with " +
        spelling.spell("status") + " instead.";
  }
  if (!input) {
    responder.keep_open(std::move(problems));
    co_return;
  }
  const auto& asked = context->ticket;
  const RichText body{plain(input->note.empty() ? asked.key : asked.key + " — " + input->note)};
  const auto now = now_();
  auto update = status_from_owner(form.team, asked.channel, form.who.id, body, options_.parse, now);
  if (input->state) update.parsed.state = input->state;
  if (auto refusal = refusal_for(Command::status, update.parsed, spelling)) {
    problems[std::string(update_form_field::note)] = *refusal;
    responder.keep_open(std::move(problems));
    co_return;
  }
  const auto author = co_await display_name(platform, form.team, form.who.id, name_lookup_before_ack);
  auto echo = echo_message(platform, update, body, author, {}, {});
  const DmToRewrite dm{{std::string(platform.name()), form.team, context->dm_conversation, context->dm_ref},
                       std::nullopt, encode_nudge_button(asked)};
  Work work = [&](storage::Store& s) {
    insert_with_echo(s, update, echo, author);  // a copy: the work may run again
    rewrite_dm(s, dm, render_nudge_answered(NudgeAnswer::updated, asked.key, asked.channel), now);
  };
  const auto stored = co_await transact(transactions_, std::move(work), platform.answer_within());
  if (!stored.committed()) {
    // The form stays open with the text in it: nothing typed is lost.
    log::error("bot", "update on " + asked.key + " from the form not saved: " + stored.error);
    problems[std::string(update_form_field::note)] = "Sorry — I couldn't save that just now. Please try Post again in a moment.";
    responder.keep_open(std::move(problems));
    co_return;
  }
  responder.acknowledge();
  log::info("bot", "stored update #" + std::to_string(update.id) + " on " + asked.key + " from a nudge's form");
  platforms_.wake(platform.name());
}

}  // namespace microalign::app
