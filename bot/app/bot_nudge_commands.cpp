// `/microalign` commands that steer nudges: people's own (away, back, nudges on/off), the
// channel's holidays, a ticket's snooze and owner, marking a ticket done, and the channel's open
// tickets. Every answer is private to whoever asked; core/nudge_answers words them.
#include <stdexcept>

#include "microalign/app/bot.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/core/echo.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/nudge_answers.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/ticket_list.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;
namespace cc = channel_command;

// What a nudge setting needs besides the store, gathered on the loop before the transaction.
struct Asked {
  const CommandIssued& command;
  std::string zone;        // the asker's, looked up on the platform; empty when that failed
  std::string owner_name;  // for `owner`: the new owner's display name, if known
  SysTime now;
  CommandSpelling spelling;  // how the asker types commands
};

// Applies one setting inside a transaction (on the storage thread) and words the answer.
class SettingWriter {
 public:
  SettingWriter(storage::Store& s, const Asked& asked)
      : s_(s), asked_(asked), team_(asked.command.where.team), user_(asked.command.asker.id) {}

  Message operator()(const cc::Away& away) {
    const auto today = local_date(asked_.now, zone());
    const auto last_day = last_day_away(away, today, asked_.spelling);
    if (const auto* refusal = std::get_if<std::string>(&last_day)) return render_refusal(*refusal);
    const auto day = std::get<std::chrono::year_month_day>(last_day);
    s_.set_away(team_, user_, day);
    return render_refusal(away_answer(day, today, asked_.spelling));
  }

  Message operator()(const cc::Back&) {
    const auto before = profile();
    s_.set_away(team_, user_, std::nullopt);
    return render_refusal(back_answer(before, local_date(asked_.now, before.time_zone), asked_.spelling));
  }

  Message operator()(const cc::SetNudges& nudges) {
    const auto before = profile();
    s_.set_nudges_off(team_, user_, !nudges.on);
    return render_refusal(nudges_answer(nudges.on, before, local_date(asked_.now, before.time_zone), asked_.spelling));
  }

  Message operator()(const cc::Holiday& holiday) {
    const auto& channel = asked_.command.where.channel;
    const auto settings = s_.channel_settings(team_, channel);
    s_.add_holidays(team_, channel, holiday.from, holiday.to);
    const auto today = local_date(asked_.now, settings ? settings->time_zone : std::string{});
    return render_refusal(holiday_answer(holiday.from, holiday.to, today));
  }

  Message operator()(const cc::Snooze& snooze) {
    const auto until = snooze_end(asked_.now, snooze.days);
    if (!s_.snooze(team_, snooze.key, until)) return render_refusal(unknown_ticket_answer(snooze.key));
    return render_refusal(snooze_answer(snooze.key, snooze.days, until, zone(), asked_.now));
  }

  Message operator()(const cc::SetOwner& owner) {
    if (!s_.set_owner(team_, owner.key, owner.user_id)) {
      return render_refusal(unknown_ticket_answer(owner.key));
    }
    // Known by name from now on: digests and ticket lists show it rather than an id.
    if (!asked_.owner_name.empty()) s_.remember_name(team_, owner.user_id, asked_.owner_name, asked_.now);
    return owner_answer(owner.key, owner.user_id, asked_.owner_name);
  }

  // Every other request is answered elsewhere; on_nudge_command never passes one here.
  template <typename Other>
  Message operator()(const Other&) {
    throw std::logic_error("not a nudge setting");
  }

 private:
  OwnerProfile profile() { return s_.owner_profiles(team_, {user_}).at(user_); }

  // The asker's zone as the platform has it now, remembered for their nudges; else the one
  // remembered.
  std::string zone() {
    if (asked_.zone.empty()) return profile().time_zone;
    s_.set_time_zone(team_, user_, asked_.zone);
    return asked_.zone;
  }

  storage::Store& s_;
  const Asked& asked_;
  const std::string& team_;
  const std::string& user_;
};

bool is_setting(const cc::Parsed& r) {
  return std::holds_alternative<cc::Away>(r) || std::holds_alternative<cc::Back>(r) ||
         std::holds_alternative<cc::SetNudges>(r) || std::holds_alternative<cc::Holiday>(r) ||
         std::holds_alternative<cc::Snooze>(r) || std::holds_alternative<cc::SetOwner>(r);
}

// Thrown to undo `done` for a ticket nobody named: its update and echo are rolled back with it.
struct UnknownTicket : std::runtime_error {
  UnknownTicket() : std::runtime_error("unknown ticket") {}
};

// The new owner's name: an answer that does not come in time is simply missing.
constexpr std::chrono::milliseconds lookup_before_answer{800};

}  // namespace

asio::awaitable<bool> Bot::on_nudge_command(Platform& platform, const CommandIssued& command,
                                            const cc::Parsed& request, Responder& responder) {
  if (const auto* done = std::get_if<cc::MarkDone>(&request)) {
    co_await mark_done(platform, command, done->key, responder);
    co_return true;
  }
  if (std::holds_alternative<cc::ListTickets>(request)) {
    co_await list_tickets(platform, command, responder);
    co_return true;
  }
  if (!is_setting(request)) co_return false;

  // The platform is asked before the transaction: the asker's zone for the days they count, and
  // the new owner's name. Each answer gets little time and is simply missing when it runs out.
  const auto& team = command.where.team;
  Asked asked{command, {}, {}, {}, platform.spelling()};
  if (std::holds_alternative<cc::Away>(request) || std::holds_alternative<cc::Snooze>(request)) {
    asked.zone = co_await time_zone_of(platform, team, command.asker);
  }
  if (const auto* owner = std::get_if<cc::SetOwner>(&request)) {
    asked.owner_name = co_await display_name(platform, team, owner->user_id, lookup_before_answer);
  }
  asked.now = now_();
  Message answer;
  Work work = [&](storage::Store& s) { answer = std::visit(SettingWriter(s, asked), request); };
  const auto saved = co_await transact(transactions_, std::move(work), platform.answer_within());
  if (!saved.committed()) {
    log::error("bot", "/microalign from " + command.asker.id + " failed: " + saved.error);
    co_await responder.answer_privately(render_nothing_changed());
    co_return true;
  }
  co_await responder.answer_privately(std::move(answer));
  co_return true;
}

// `done ENG-42` is a status update like `/status ENG-42 done`, echoed to the channel the same
// way, for a ticket someone has named before.
asio::awaitable<void> Bot::mark_done(Platform& platform, const CommandIssued& command, const std::string& key,
                                     Responder& responder) {
  const RichText body{plain(key + " done")};
  Update update;
  update.created_at = now_();
  update.where = {command.where.team, command.where.channel, {}};
  update.user = command.asker.id;
  update.source = UpdateSource::slash;
  update.parsed = parse_update(Command::status, body, options_.parse);

  bool unknown = false;
  Work only_if_known = [&](storage::Store& s) {
    if (s.ticket_named_before(command.where.team, key, update.id)) return;
    unknown = true;
    throw UnknownTicket();
  };
  const std::string in_the_channel;  // (a named local: GCC 12 mishandles braced temporaries in co_await)
  const auto stored = co_await store_with_echo(platform, update, body, command.asker.name, in_the_channel,
                                               command.reply_handle, std::move(only_if_known));
  if (unknown) {
    co_await responder.answer_privately(render_refusal(unknown_ticket_answer(key)));
    co_return;
  }
  if (!stored.committed()) {
    log::error("bot", "done " + key + " from " + command.asker.id + " in " + command.where.channel +
                          " not saved: " + stored.error);
    co_await responder.answer_privately(render_not_saved());
    co_return;
  }
  log::info("bot", "stored update #" + std::to_string(update.id) + " (" + key + " done) in " + command.where.channel);
  platforms_.wake(platform.name());
  co_await responder.answer_privately(render_receipt(update));
}

asio::awaitable<void> Bot::list_tickets(Platform& platform, const CommandIssued& command, Responder& responder) {
  TicketListInput input;
  input.spelling = platform.spelling();
  input.ticket_links = options_.ticket_links;
  const auto now = now_();
  const auto& team = command.where.team;
  const auto& channel = command.where.channel;
  const auto& asker = command.asker.id;
  Work read = [&](storage::Store& s) {
    input.tickets = s.open_tickets(team, channel);
    input.snoozed_until = s.snoozed_tickets(team, channel, now);
    // The asker too: a snooze ends in their remembered zone's calendar (the platform is not asked).
    std::vector<std::string> people{asker};
    for (const auto& t : input.tickets) {
      if (!t.owner.empty()) people.push_back(t.owner);
    }
    input.owners = s.owner_profiles(team, people);
    input.asker_zone = input.owners.at(asker).time_zone;
    input.names = s.known_names(team);
    if (auto settings = s.channel_settings(team, channel)) input.quiet_days = settings->quiet_days;
    input.holidays = s.channel_holidays(team, channel);
  };
  const auto done = co_await transact(transactions_, std::move(read), platform.answer_within());
  if (!done.committed()) {
    log::error("bot", "tickets of " + channel + " not read: " + done.error);
    co_await responder.answer_privately(
        render_refusal("Sorry — I couldn't read this channel's tickets just now. Please try again."));
    co_return;
  }
  co_await responder.answer_privately(render_ticket_list(input, now));
}

}  // namespace microalign::app
