// `/microalign …`: a channel's digest schedule, time zone and quiet threshold, its settings,
// a ticket's timeline, and digests on demand; the nudge commands are in app_nudge_commands.cpp.
// Every answer is private to whoever asked.
#include <nlohmann/json.hpp>

#include "microalign/core/channel_command.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/timeline.hpp"
#include "microalign/slack/app.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/digests.hpp"
#include "microalign/slack/outbox_sender.hpp"
#include "microalign/slack/payloads.hpp"
#include "microalign/slack/permalink.hpp"
#include "microalign/slack/socket_mode.hpp"
#include "microalign/slack/web_api.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/channels.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/people.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;
namespace cc = channel_command;

std::string describe(const storage::ChannelSettings& s, SysTime now) {
  const auto zone = s.time_zone.empty() ? std::string("UTC") : s.time_zone;
  std::string text = "Digest: " + describe(s.schedule) + " (" + zone + ")";
  if (auto next = next_run(s.schedule, zone, now)) text += ", next at " + format_rfc3339(*next);
  text += ". Tickets count as quiet after " + std::to_string(s.quiet_days) + " working days without an update.";
  return text;
}

}  // namespace

nlohmann::json App::private_answer(const Message& m) {
  auto body = to_block_kit(m);
  body["response_type"] = "ephemeral";
  return body;
}

nlohmann::json App::private_answer(const std::string& text) { return private_answer(render_refusal(text)); }

asio::awaitable<void> App::on_channel_command(const SlashCommand& command, Ack& ack) {
  const auto request = cc::parse(command.text);
  if (const auto* invalid = std::get_if<cc::Invalid>(&request)) {
    ack.send(private_answer(invalid->message));
    co_return;
  }
  if (std::holds_alternative<cc::Help>(request)) {
    ack.send(private_answer(cc::help_text()));
    co_return;
  }
  if (const auto* ticket = std::get_if<cc::ShowTicket>(&request)) {
    co_await show_ticket(command, ticket->key, ack);
    co_return;
  }
  const bool answered = co_await on_nudge_command(command, request, ack);
  if (answered) co_return;

  // Everything else reads or changes the channel's settings. A channel's zone starts as the zone
  // of whoever configures it first.
  std::string configurer_zone;
  if (!std::holds_alternative<cc::ShowSettings>(request) && !std::holds_alternative<cc::SetTimeZone>(request)) {
    configurer_zone = co_await user_time_zone_of(command.user);
  }
  const auto now = now_();
  const auto context = digest_context();  // copied here, on the loop: the work runs on the storage thread
  std::string answer;
  bool queued = false;
  storage::Transactions::Work work = [&](storage::Store& s) {
    auto settings = s.channel_settings(command.team, command.channel).value_or(storage::ChannelSettings{});
    settings.team = command.team;
    settings.channel = command.channel;
    if (settings.configured_by.empty()) settings.configured_by = command.user;
    if (settings.time_zone.empty()) settings.time_zone = configurer_zone;
    settings.updated_at = now;

    if (const auto* set = std::get_if<cc::SetDigest>(&request)) {
      settings.schedule = set->schedule;
      answer = "Done. " + describe(settings, now);
    } else if (std::holds_alternative<cc::DigestOff>(request)) {
      settings.schedule.cadence = DigestSchedule::Cadence::off;
      answer = "Scheduled digests are off for this channel. `/microalign digest now` still posts one.";
    } else if (const auto* tz = std::get_if<cc::SetTimeZone>(&request)) {
      settings.time_zone = tz->zone;
      answer = "Done. " + describe(settings, now);
    } else if (const auto* quiet = std::get_if<cc::SetQuietThreshold>(&request)) {
      settings.quiet_days = quiet->working_days;
      answer = "Done. " + describe(settings, now);
    } else if (std::holds_alternative<cc::ShowSettings>(request)) {
      answer = describe(settings, now);
      return;  // looking changes nothing
    } else if (std::holds_alternative<cc::DigestNow>(request)) {
      const auto outcome = queue_digest(s, settings, now, now, context);
      queued = outcome == DigestOutcome::queued;
      answer = queued ? "Posting the digest now."
                      : "Nothing new and nothing quiet here since the last digest, so there is no digest to post.";
    }
    s.save_channel_settings(settings);
  };
  auto done = co_await commit(commits_, std::move(work), config_.slack.ack_deadline);
  if (!done.committed()) {
    log::error("slack", "/microalign in " + command.channel + " failed: " + done.error);
    ack.send(private_answer(render_nothing_changed()));
    co_return;
  }
  ack.send(private_answer(answer));
  if (queued) sender_->wake();
}

asio::awaitable<void> App::show_ticket(const SlashCommand& command, const std::string& key, Ack& ack) {
  std::vector<Update> timeline;
  std::map<std::int64_t, std::string> answered_by;
  std::map<std::string, std::string> names;
  storage::Transactions::Work read = [&](storage::Store& s) {
    timeline = s.ticket_timeline(command.team, key);
    answered_by = s.ticket_answers(command.team, key);
    names = s.known_names(command.team);
  };
  auto done = co_await commit(commits_, std::move(read), config_.slack.ack_deadline);
  if (!done.committed()) {
    ack.send(private_answer("Sorry — I couldn't read that ticket's history just now. Please try again."));
    co_return;
  }
  // Only what was said in this channel: other channels' updates may be private.
  std::erase_if(timeline, [&](const Update& u) { return u.where.channel != command.channel; });
  ack.send(private_answer(render_timeline(key, timeline, answered_by, names, [this](const Update& u) {
    return update_permalink(workspace_url_, u);
  })));
}

asio::awaitable<std::string> App::user_time_zone_of(const std::string& user) {
  nlohmann::json args;
  args["user"] = user;
  auto reply = co_await api_->call("users.info", std::move(args), TokenKind::bot, std::chrono::milliseconds(800));
  co_return reply.ok ? user_time_zone(reply.body) : std::string{};
}

DigestContext App::digest_context() const { return DigestContext{workspace_url_, display_names_}; }

}  // namespace microalign::slack
