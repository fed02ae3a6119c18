// Decisions: `/decision …` and `decision: …` are read, stored with their echo in one transaction
// and confirmed as updates are (a command privately, a mention by its echo in the thread);
// `/microalign decisions …` lists a channel's, privately.
#include <date/date.h>

#include "microalign/app/bot.hpp"
#include "microalign/app/metrics.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/core/decision.hpp"
#include "microalign/core/decision_list.hpp"
#include "microalign/core/echo.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/core/text.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;

// As for an update's echo: a name not found in time leaves the echo naming the owner by id.
constexpr std::chrono::milliseconds name_lookup_before_ack{800};

}  // namespace

asio::awaitable<void> Bot::on_decision(Platform& platform, UpdatePosted posted, Responder& responder) {
  const auto spelling = platform.spelling();
  auto read = parse_decision(posted.text, options_.parse, spelling);
  if (const auto* refused = std::get_if<DecisionRefusal>(&read)) {
    co_await responder.answer_privately(render_refusal(refused->message));
    co_return;
  }
  if (!posted.author.name.empty()) names_.remember(posted.where.team, posted.author.id, posted.author.name);
  const bool from_message = !posted.source_ref.empty();
  Decision decision;
  decision.created_at = now_();
  decision.where = posted.where;
  decision.owner = posted.author.id;
  decision.source_ref = posted.source_ref;
  decision.parsed = std::move(std::get<ParsedDecision>(read));
  std::string owner = posted.author.name;
  if (owner.empty() && from_message) {
    owner = co_await display_name(platform, posted.where.team, posted.author.id, name_lookup_before_ack);
  }

  storage::DecisionInsertResult result;
  Decision stored;
  Work insert = [&, platform_name = std::string(platform.name())](storage::Store& s) {
    result = s.insert_decision(decision, posted.event_id);
    if (result.duplicate || result.unknown_superseded) return;
    stored = decision;  // a copy: the work may run again (see on_update)
    stored.id = result.decision_id;
    // The echo names the decision by its id, so it is made here, once the decision has one.
    s.enqueue(channel_post(platform, decision.where, decision.created_at,
                           render_decision_echo(stored, owner, options_.ticket_links), posted.echo_thread,
                           posted.reply_handle));
    if (!owner.empty()) s.remember_name(decision.where.team, decision.owner, owner, decision.created_at);
    s.remember_workspace(decision.where.team, platform_name);
  };
  const auto saved = co_await transact(transactions_, std::move(insert), platform.answer_within());
  if (!saved.committed()) {
    log::error("bot",
               "decision from " + decision.owner + " in " + decision.where.channel + " not saved: " + saved.error);
    co_await responder.answer_privately(render_not_saved());
    co_return;
  }
  if (result.duplicate) {
    log::info("bot", "event " + posted.event_id + " already stored as decision " + decision_label(result.decision_id));
    // As for an update delivered again: the receipt again, in case the first never arrived.
    if (from_message || result.decision_id == 0) {
      responder.acknowledge();
    } else {
      stored = decision;
      stored.id = result.decision_id;
      co_await responder.answer_privately(render_decision_receipt(stored));
    }
    co_return;
  }
  if (result.unknown_superseded) {
    const auto superseded = decision_label(*decision.parsed.supersedes);
    co_await responder.answer_privately(
        render_refusal("There is no decision " + superseded + " here to supersede, so nothing was saved. " +
                       spelling.code("decisions") + " lists this channel's decisions with their numbers."));
    co_return;
  }
  metrics_.decisions_stored.with({platform.name()}).inc();
  log::debug("bot", "stored decision " + decision_label(stored.id) + " in " + decision.where.channel);
  platforms_.wake(platform.name());
  if (from_message) {
    responder.acknowledge();  // the echo in the thread says it is saved
  } else {
    co_await responder.answer_privately(render_decision_receipt(stored));
  }
}

asio::awaitable<void> Bot::list_decisions(Platform& platform, const CommandIssued& command,
                                          const channel_command::ListDecisions& asked, Responder& responder) {
  SysTime since;
  std::string period;
  if (const auto* days = std::get_if<int>(&asked.since_or_days)) {
    since = now_() - std::chrono::days{*days};
    period = "in the last " + count_of(*days, "day", "days");
  } else {
    // A date is a UTC day: the same list whoever asks.
    const auto day = std::get<std::chrono::year_month_day>(asked.since_or_days);
    since = std::chrono::sys_days{day};
    period = "since " + date::format("%d %b %Y", std::chrono::sys_days{day});
  }
  const auto& where = command.where;
  std::vector<Decision> found;
  std::map<std::string, std::string> names;
  Work read = [&](storage::Store& s) {
    found = s.decisions({.team = where.team, .channel = where.channel, .since = since});
    names = s.known_names(where.team);
  };
  const auto done = co_await transact(transactions_, std::move(read), platform.answer_within());
  if (!done.committed()) {
    co_await responder.answer_privately(
        render_refusal("Sorry — I couldn't read this channel's decisions just now. Please try again."));
    co_return;
  }
  co_await responder.answer_privately(render_decision_list(found, period, names, platform.spelling()));
}

}  // namespace microalign::app
