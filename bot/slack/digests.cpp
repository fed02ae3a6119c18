#include "microalign/slack/digests.hpp"

#include <nlohmann/json.hpp>

#include "microalign/core/export.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/nudge_policy.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/outbox_sender.hpp"
#include "microalign/slack/permalink.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/outbox.hpp"
#include "microalign/storage/people.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;

// The window of a channel's first digest, when there is no previous one to start from.
std::chrono::days first_window(const DigestSchedule& s) {
  return std::chrono::days(s.cadence == DigestSchedule::Cadence::weekly ? 7 : 1);
}

std::string zone_of(const storage::ChannelSettings& s) { return s.time_zone.empty() ? "UTC" : s.time_zone; }

// Which quiet tickets' owners are away, and which tickets went quiet after a reminder: what the
// nudges know about the digest's quiet tickets.
void add_nudge_facts(storage::Store& s, SysTime quiet_since, SysTime as_of, DigestInput& in) {
  std::vector<std::string> owners;
  for (const auto& t : in.quiet) owners.push_back(t.owner);
  const auto nudged = s.nudged_quiet_tickets(in.team, in.channel, quiet_since);
  for (const auto& c : nudged) owners.push_back(c.ticket.owner);  // among the quiet already
  const auto profiles = s.owner_profiles(in.team, owners);
  for (const auto& [user, profile] : profiles) {
    if (profile.away_until) in.away[user] = OwnerAway{*profile.away_until, profile.time_zone};
  }
  for (const auto& c : nudged) {
    if (quiet_after_reminder(c, profiles.at(c.ticket.owner), as_of)) in.reminded.insert(c.ticket.key);
  }
}

DigestInput gather(storage::Store& s, const storage::ChannelSettings& settings, SysTime as_of, const DigestContext& context) {
  const auto last = s.last_posted_digest(settings.team, settings.channel);
  DigestInput in;
  in.team = settings.team;
  in.channel = settings.channel;
  in.time_zone = zone_of(settings);
  in.window_start = last ? last->window_end : as_of - first_window(settings.schedule);
  in.window_end = as_of;
  in.updates = s.updates_in_window(in.team, in.channel, in.window_start, in.window_end);
  in.troubled = s.troubled_tickets(in.team, in.channel);
  in.open_assumptions = s.open_assumptions(in.team, in.channel);
  // The channel's calendar, holidays included, as the nudges count (in the owner's zone).
  const auto quiet_since =
      working_days_before(as_of, settings.quiet_days, in.time_zone, s.channel_holidays(in.team, in.channel));
  in.quiet = s.quiet_tickets(in.team, in.channel, quiet_since);
  in.quiet_threshold_days = settings.quiet_days;
  add_nudge_facts(s, quiet_since, as_of, in);
  if (last) in.previous = last->counts;
  // Names people posted under, updated by what the running bot learned since.
  in.names = s.known_names(in.team);
  for (const auto& [user, name] : context.names) in.names[user] = name;
  in.link_to = [url = context.workspace_url](const Update& u) { return update_permalink(url, u); };
  return in;
}

storage::OutboxMessage digest_message(const storage::ChannelSettings& settings, const Message& message, SysTime now) {
  auto body = to_block_kit(message);
  body["channel"] = settings.channel;
  body["unfurl_links"] = false;
  body["unfurl_media"] = false;
  storage::OutboxMessage m;
  m.team = settings.team;
  m.channel = settings.channel;
  m.method = "chat.postMessage";
  m.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  m.notify_on_failure = settings.configured_by;
  m.created_at = now;
  m.not_before = now;
  return m;
}

}  // namespace

Digest preview_digest(storage::Store& s, const storage::ChannelSettings& settings, SysTime as_of,
                      const DigestContext& context) {
  DigestOptions options;
  options.threaded = settings.schedule.threaded;
  return build_digest(gather(s, settings, as_of, context), options);
}

DigestOutcome queue_digest(storage::Store& s, const storage::ChannelSettings& settings, SysTime scheduled_for,
                           SysTime now, const DigestContext& context) {
  const auto input = gather(s, settings, now, context);
  DigestOptions options;
  options.threaded = settings.schedule.threaded;
  const auto digest = build_digest(input, options);

  storage::DigestRun run;
  run.team = settings.team;
  run.channel = settings.channel;
  run.scheduled_for = scheduled_for;
  run.window_start = input.window_start;
  run.window_end = now;
  run.counts = digest.counts;
  run.posted = !digest.empty();
  run.recorded_at = now;
  if (!s.record_digest_run(run)) return DigestOutcome::already_done;
  if (digest.empty()) return DigestOutcome::nothing_to_say;

  std::int64_t first = 0;
  for (const auto& message : digest.messages) {
    auto m = digest_message(settings, message, now);
    if (digest.threaded && first != 0) m.thread_of = first;
    const auto id = s.enqueue(std::move(m));
    if (first == 0) first = id;
  }
  return DigestOutcome::queued;
}

DigestScheduler::DigestScheduler(asio::any_io_executor executor, storage::Transactions& commits, OutboxSender& sender,
                                 Clock now, std::function<DigestContext()> context, std::chrono::milliseconds tick)
    : commits_(commits),
      sender_(sender),
      now_(std::move(now)),
      context_(std::move(context)),
      tick_(tick),
      wake_(executor) {}

void DigestScheduler::stop() {
  stopping_ = true;
  wake_.notify();
}

asio::awaitable<void> DigestScheduler::run() {
  while (!stopping_) {
    bool queued = false;
    // One storage item per tick: every channel's due check, build and queueing happen on the
    // storage thread, in one transaction, off the event loop.
    storage::Transactions::Work tick = [&queued, now = now_(), context = context_()](storage::Store& s) {
      for (const auto& settings : s.scheduled_channels()) {
        const auto zone = zone_of(settings);
        const auto last = s.last_digest_run(settings.team, settings.channel);
        const auto due = due_digest(settings.schedule, zone, last ? std::optional(last->scheduled_for) : std::nullopt, now);
        if (!due) continue;
        if (due->too_late) {
          storage::DigestRun skipped;
          skipped.team = settings.team;
          skipped.channel = settings.channel;
          skipped.scheduled_for = due->scheduled_for;
          skipped.window_start = due->scheduled_for;
          skipped.window_end = due->scheduled_for;
          skipped.recorded_at = now;
          s.record_digest_run(skipped);
          log::warn("digest", "skipped the digest due at " + format_rfc3339(due->scheduled_for) + " for " +
                                  settings.channel + ": more than 6 hours late");
          continue;
        }
        const auto outcome = queue_digest(s, settings, due->scheduled_for, now, context);
        queued = queued || outcome == DigestOutcome::queued;
        log::info("digest", settings.channel + ": " +
                                (outcome == DigestOutcome::queued ? "digest queued" : "nothing new and nothing quiet; no digest"));
      }
    };
    auto result = co_await commit(commits_, std::move(tick), std::chrono::minutes(1));
    if (!result.committed()) log::error("digest", "scheduled digests failed: " + result.error);
    if (queued) sender_.wake();
    if (stopping_) break;  // stop() may have come while the tick was being stored
    co_await wake_.wait(tick_);
  }
}

}  // namespace microalign::slack
