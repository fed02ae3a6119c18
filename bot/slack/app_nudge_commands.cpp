// `/microalign` commands that steer nudges: people's own (away, back, nudges on/off), the
// channel's holidays, a ticket's snooze and owner, marking a ticket done, and the channel's open
// tickets. Every answer is private to whoever asked; core/nudge_answers words them.
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "microalign/core/echo.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/nudge_answers.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/ticket_list.hpp"
#include "microalign/slack/app.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/outbox_sender.hpp"
#include "microalign/slack/payloads.hpp"
#include "microalign/slack/socket_mode.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/channels.hpp"
#include "microalign/storage/transactions.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/people.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;
namespace cc = channel_command;

// What a nudge setting needs besides the store, gathered on the loop before the transaction.
struct Asked {
  const SlashCommand& command;
  std::string zone;        // the asker's, from users.info; empty when it could not be fetched
  std::string owner_name;  // for `owner`: the new owner's display name, if known
  SysTime now;
};

// Applies one setting inside a transaction (on the storage thread) and words the answer.
class SettingWriter {
 public:
  SettingWriter(storage::Store& s, const Asked& asked) : s_(s), asked_(asked), team_(asked.command.team),
                                                          user_(asked.command.user) {}

  Message operator()(const cc::Away& away) {
    const auto today = local_date(asked_.now, zone());
    const auto last_day = last_day_away(away, today);
    if (const auto* refusal = std::get_if<std::string>(&last_day)) return render_refusal(*refusal);
    const auto day = std::get<std::chrono::year_month_day>(last_day);
    s_.set_away(team_, user_, day);
    return render_refusal(away_answer(day, today));
  }

  Message operator()(const cc::Back&) {
    const auto before = profile();
    s_.set_away(team_, user_, std::nullopt);
    return render_refusal(back_answer(before, local_date(asked_.now, before.time_zone)));
  }

  Message operator()(const cc::SetNudges& nudges) {
    const auto before = profile();
    s_.set_nudges_off(team_, user_, !nudges.on);
    return render_refusal(nudges_answer(nudges.on, before, local_date(asked_.now, before.time_zone)));
  }

  Message operator()(const cc::Holiday& holiday) {
    const auto& channel = asked_.command.channel;
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

  // The asker's zone as Slack has it now, remembered for their nudges; else the one remembered.
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

}  // namespace

asio::awaitable<bool> App::on_nudge_command(const SlashCommand& command, const cc::Parsed& request, Ack& ack) {
  if (const auto* done = std::get_if<cc::MarkDone>(&request)) {
    co_await mark_done(command, done->key, ack);
    co_return true;
  }
  if (std::holds_alternative<cc::ListTickets>(request)) {
    co_await list_tickets(command, ack);
    co_return true;
  }
  if (!is_setting(request)) co_return false;

  // Slack is asked before the transaction: the asker's zone for the days they count, and the
  // new owner's name. Each answer gets little time and is simply missing when it runs out.
  Asked asked{command, {}, {}, {}};
  if (std::holds_alternative<cc::Away>(request) || std::holds_alternative<cc::Snooze>(request)) {
    asked.zone = co_await user_time_zone_of(command.user);
  }
  if (const auto* owner = std::get_if<cc::SetOwner>(&request)) {
    asked.owner_name = co_await display_name(owner->user_id);
  }
  asked.now = now_();
  Message answer;
  storage::Transactions::Work work = [&](storage::Store& s) { answer = std::visit(SettingWriter(s, asked), request); };
  auto saved = co_await commit(commits_, std::move(work), config_.slack.ack_deadline);
  if (!saved.committed()) {
    log::error("slack", "/microalign " + command.text + " from " + command.user + " failed: " + saved.error);
    ack.send(private_answer(render_nothing_changed()));
    co_return true;
  }
  ack.send(private_answer(answer));
  co_return true;
}

// `done ENG-42` is a status update like `/status ENG-42 done`, echoed to the channel the same
// way, for a ticket someone has named before.
asio::awaitable<void> App::mark_done(const SlashCommand& command, const std::string& key, Ack& ack) {
  if (!command.user_name.empty()) display_names_[command.user] = command.user_name;
  const RichText body{plain(key + " done")};
  Update update;
  update.created_at = now_();
  update.where = {command.team, command.channel, {}};
  update.user = command.user;
  update.source = UpdateSource::slash;
  update.parsed = parse_update(Command::status, body, config_.parse);

  bool unknown = false;
  storage::Transactions::Work only_if_known = [&](storage::Store& s) {
    if (s.ticket_named_before(command.team, key, update.id)) return;
    unknown = true;
    throw UnknownTicket();
  };
  auto stored = co_await store_with_echo(update, body, command.user_name, command.response_url, std::move(only_if_known));
  if (unknown) {
    ack.send(private_answer(unknown_ticket_answer(key)));
    co_return;
  }
  if (!stored.committed()) {
    log::error("slack", "done " + key + " from " + command.user + " in " + command.channel + " not saved: " + stored.error);
    ack.send(private_answer(render_not_saved()));
    co_return;
  }
  log::info("slack", "stored update #" + std::to_string(update.id) + " (" + key + " done) in " + command.channel);
  ack.send(private_answer(render_receipt(update)));
  sender_->wake();
}

asio::awaitable<void> App::list_tickets(const SlashCommand& command, Ack& ack) {
  TicketListInput input;
  const auto now = now_();
  storage::Transactions::Work read = [&](storage::Store& s) {
    input.tickets = s.open_tickets(command.team, command.channel);
    input.snoozed_until = s.snoozed_tickets(command.team, command.channel, now);
    // The asker too: a snooze ends in their remembered zone's calendar (Slack is not asked).
    std::vector<std::string> people{command.user};
    for (const auto& t : input.tickets) {
      if (!t.owner.empty()) people.push_back(t.owner);
    }
    input.owners = s.owner_profiles(command.team, people);
    input.asker_zone = input.owners.at(command.user).time_zone;
    input.names = s.known_names(command.team);
    if (auto settings = s.channel_settings(command.team, command.channel)) {
      input.quiet_days = settings->quiet_days;
    }
    input.holidays = s.channel_holidays(command.team, command.channel);
  };
  auto done = co_await commit(commits_, std::move(read), config_.slack.ack_deadline);
  if (!done.committed()) {
    log::error("slack", "tickets of " + command.channel + " not read: " + done.error);
    ack.send(private_answer("Sorry — I couldn't read this channel's tickets just now. Please try again."));
    co_return;
  }
  ack.send(private_answer(render_ticket_list(input, now)));
}

}  // namespace microalign::slack
