// `/microalign …`: a channel's digest schedule, time zone and quiet threshold, its settings,
// a ticket's timeline, and digests on demand; the nudge commands are in bot_nudge_commands.cpp.
// Every answer is private to whoever asked.
#include "microalign/app/bot.hpp"
#include "microalign/app/digests.hpp"
#include "microalign/app/metrics.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/core/channel_command.hpp"
#include "microalign/core/decision_list.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/timeline.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;
namespace cc = channel_command;

// Like looking someone up for an echo: an answer that does not come in time is simply missing.
constexpr std::chrono::milliseconds lookup_before_answer{800};
// A timeline shows 20 lines at most (timeline.cpp): more tracker events than that would not show.
constexpr std::size_t max_timeline_tracker_events = 20;

std::string describe(const storage::ChannelSettings& s, SysTime now) {
  const auto zone = s.time_zone.empty() ? std::string("UTC") : s.time_zone;
  std::string text = "Digest: " + describe(s.schedule) + " (" + zone + ")";
  if (auto next = next_run(s.schedule, zone, now)) text += ", next at " + format_rfc3339(*next);
  text += ". Tickets count as quiet after " + std::to_string(s.quiet_days) + " working days without an update.";
  return text;
}

}  // namespace

asio::awaitable<std::string> Bot::time_zone_of(Platform& platform, const std::string& team, const Person& who) {
  if (!who.time_zone.empty()) co_return who.time_zone;
  const auto person = co_await platform.look_up(team, who.id, lookup_before_answer, Platform::Urgency::answering);
  co_return person.found ? person.time_zone : std::string{};
}

asio::awaitable<void> Bot::on_command(Platform& platform, CommandIssued command, Responder& responder) {
  if (!command.asker.name.empty()) names_.remember(command.where.team, command.asker.id, command.asker.name);
  const auto spelling = platform.spelling();
  const auto request = cc::parse(command.text, spelling);
  if (const auto* invalid = std::get_if<cc::Invalid>(&request)) {
    co_await responder.answer_privately(render_refusal(invalid->message));
    co_return;
  }
  if (std::holds_alternative<cc::Help>(request)) {
    co_await responder.answer_privately(render_refusal(cc::help_text(spelling)));
    co_return;
  }
  if (const auto* ticket = std::get_if<cc::ShowTicket>(&request)) {
    co_await show_ticket(command, ticket->key, platform, responder);
    co_return;
  }
  if (const auto* decisions = std::get_if<cc::ListDecisions>(&request)) {
    co_await list_decisions(platform, command, *decisions, responder);
    co_return;
  }
  const bool answered = co_await on_nudge_command(platform, command, request, responder);
  if (answered) co_return;

  // Everything else reads or changes the channel's settings. A channel's zone starts as the zone
  // of whoever configures it first.
  const auto& where = command.where;
  std::string configurer_zone;
  if (!std::holds_alternative<cc::ShowSettings>(request) && !std::holds_alternative<cc::SetTimeZone>(request)) {
    configurer_zone = co_await time_zone_of(platform, where.team, command.asker);
  }
  const auto now = now_();
  // Made here, on the loop: the work runs on the storage thread.
  const auto context = context_for(platform, names_, options_.ticket_links);
  std::string answer;
  bool queued = false;
  Work work = [&](storage::Store& s) {
    auto settings = s.channel_settings(where.team, where.channel).value_or(storage::ChannelSettings{});
    settings.team = where.team;
    settings.channel = where.channel;
    if (settings.configured_by.empty()) settings.configured_by = command.asker.id;
    if (settings.time_zone.empty()) settings.time_zone = configurer_zone;
    settings.updated_at = now;

    if (const auto* set = std::get_if<cc::SetDigest>(&request)) {
      settings.schedule = set->schedule;
      answer = "Done. " + describe(settings, now);
    } else if (std::holds_alternative<cc::DigestOff>(request)) {
      settings.schedule.cadence = DigestSchedule::Cadence::off;
      answer = "Scheduled digests are off for this channel. " + spelling.code("digest now") + " still posts one.";
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
    s.remember_workspace(where.team, context.platform);
  };
  const auto done = co_await transact(transactions_, std::move(work), platform.answer_within());
  if (!done.committed()) {
    log::error("bot", "/microalign in " + where.channel + " failed: " + done.error);
    co_await responder.answer_privately(render_nothing_changed());
    co_return;
  }
  if (queued) metrics_.digests_queued.with({platform.name()}).inc();
  if (!std::holds_alternative<cc::ShowSettings>(request) && settings_changed_) settings_changed_();
  co_await responder.answer_privately(render_refusal(answer));
  if (queued) platforms_.wake(platform.name());
}

asio::awaitable<void> Bot::show_ticket(const CommandIssued& command, const std::string& key, Platform& platform,
                                       Responder& responder) {
  std::vector<Update> timeline;
  std::vector<TrackerActivity> tracker_activity;
  std::vector<Decision> decisions;
  std::map<std::int64_t, std::string> answered_by;
  std::map<std::string, std::string> names;
  const auto& team = command.where.team;
  Work read = [&](storage::Store& s) {
    timeline = s.ticket_timeline(team, key);
    // What the trackers did with a ticket this team talks about: a key nobody here named may be
    // another organisation's.
    if (!timeline.empty()) tracker_activity = s.ticket_tracker_activity(key, max_timeline_tracker_events);
    decisions = s.ticket_decisions(team, key);
    answered_by = s.ticket_answers(team, key);
    names = s.known_names(team);
  };
  const auto done = co_await transact(transactions_, std::move(read), platform.answer_within());
  if (!done.committed()) {
    co_await responder.answer_privately(
        render_refusal("Sorry — I couldn't read that ticket's history just now. Please try again."));
    co_return;
  }
  // Only what was said in this channel: other channels' updates may be private.
  std::erase_if(timeline, [&](const Update& u) { return u.where.channel != command.where.channel; });
  std::erase_if(decisions, [&](const Decision& d) { return d.where.channel != command.where.channel; });
  auto answer = render_timeline(key, timeline, tracker_activity, answered_by, names,
                                [&platform](const Update& u) { return platform.link_to(u); });
  add_decisions_to_timeline(answer, decisions, names);
  co_await responder.answer_privately(std::move(answer));
}

}  // namespace microalign::app
