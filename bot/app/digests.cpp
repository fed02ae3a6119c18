#include "microalign/app/digests.hpp"

#include <algorithm>
#include <map>

#include "microalign/app/metrics.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/app/transact.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/nudge_policy.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
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

// The channel's decisions in the window (from, to], as its updates are.
std::vector<Decision> decisions_in_window(storage::Store& s, const std::string& team, const std::string& channel,
                                          SysTime from, SysTime to) {
  auto found = s.decisions({.team = team, .channel = channel, .since = from});
  std::erase_if(found, [&](const Decision& d) { return d.created_at <= from || d.created_at > to; });
  return found;
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
  in.tracker_activity = s.tracker_activity_in_window(in.team, in.channel, in.window_start, in.window_end);
  in.troubled = s.troubled_tickets(in.team, in.channel);
  in.open_assumptions = s.open_assumptions(in.team, in.channel);
  in.decisions = decisions_in_window(s, in.team, in.channel, in.window_start, in.window_end);
  // The channel's calendar, holidays included, as the nudges count (in the owner's zone).
  const auto quiet_since =
      working_days_before(as_of, settings.quiet_days, in.time_zone, s.channel_holidays(in.team, in.channel));
  in.quiet = s.quiet_tickets(in.team, in.channel, quiet_since);
  in.quiet_threshold_days = settings.quiet_days;
  add_nudge_facts(s, quiet_since, as_of, in);
  if (last) in.previous = last->counts;
  // Names people posted under, updated by what the running bot learned since.
  in.names = s.known_names(in.team);
  if (const auto learned = context.names.find(in.team); learned != context.names.end()) {
    for (const auto& [user, name] : learned->second) in.names[user] = name;
  }
  in.link_to = context.link_to;
  return in;
}

DigestOptions options_for(const storage::ChannelSettings& settings, const DigestContext& context) {
  DigestOptions options;
  options.threaded = settings.schedule.threaded;
  options.max_blocks = context.limits.max_blocks;
  options.max_section_bytes = context.limits.max_section_bytes;
  options.ticket_links = context.ticket_links;
  return options;
}

storage::OutboxMessage digest_message(const storage::ChannelSettings& settings, const DigestContext& context,
                                      Message message, SysTime now) {
  storage::OutboxMessage m;
  m.platform = context.platform;
  m.team = settings.team;
  m.destination = settings.channel;
  m.delivery = storage::Delivery::post;
  m.message = std::move(message);
  m.notify_on_failure = settings.configured_by;
  m.created_at = now;
  m.not_before = now;
  return m;
}

}  // namespace

DigestContext context_for(const Platform& platform, const Names& names, const TrackerHomes& ticket_links) {
  return {std::string(platform.name()),
          names.all(),
          [&platform](const Update& u) { return platform.link_to(u); },
          platform.limits(),
          platform.spelling(),
          ticket_links};
}

DigestContext offline_context(std::string platform, TrackerHomes ticket_links) {
  return {std::move(platform), {}, {}, {}, slash_commands(), std::move(ticket_links)};
}

DigestContexts contexts_for(const Platforms& platforms, const Names& names, const TrackerHomes& ticket_links) {
  DigestContexts contexts;
  for (const auto* platform : platforms.all()) {
    contexts.emplace(platform->name(), context_for(*platform, names, ticket_links));
  }
  return contexts;
}

DigestContexts::const_iterator served_context(const DigestContexts& contexts,
                                              const std::optional<std::string>& platform) {
  if (platform) return contexts.find(*platform);
  return contexts.size() == 1 ? contexts.begin() : contexts.end();
}

Digest preview_digest(storage::Store& s, const storage::ChannelSettings& settings, SysTime as_of,
                      const DigestContext& context) {
  return build_digest(gather(s, settings, as_of, context), options_for(settings, context));
}

DigestOutcome queue_digest(storage::Store& s, const storage::ChannelSettings& settings, SysTime scheduled_for,
                           SysTime now, const DigestContext& context) {
  const auto input = gather(s, settings, now, context);
  const auto digest = build_digest(input, options_for(settings, context));

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
    auto m = digest_message(settings, context, message, now);
    if (first == 0) m.purpose = storage::Purpose::digest;  // counted as posted once this one is sent
    if (digest.threaded && first != 0) m.thread_of = first;
    const auto id = s.enqueue(std::move(m));
    if (first == 0) first = id;
  }
  return DigestOutcome::queued;
}

DigestScheduler::DigestScheduler(asio::any_io_executor executor, storage::Transactions& transactions,
                                 Platforms& platforms, const Names& names, Clock now, AppMetrics& metrics,
                                 TrackerHomes ticket_links, std::chrono::milliseconds max_sleep)
    : transactions_(transactions),
      platforms_(platforms),
      names_(names),
      now_(std::move(now)),
      metrics_(metrics),
      ticket_links_(std::move(ticket_links)),
      max_sleep_(max_sleep),
      wake_(executor) {}

void DigestScheduler::stop() {
  stopping_ = true;
  wake_.notify();
}

void DigestScheduler::wake() {
  woken_ = true;
  wake_.notify();
}

asio::awaitable<void> DigestScheduler::run() {
  // After a look that storage refused: soon again, as a digest may be due.
  constexpr std::chrono::milliseconds retry_after_failure = std::chrono::seconds(30);
  while (!stopping_) {
    woken_ = false;  // a wake() from here on is seen below, even one that comes mid-look
    // Made here, on the loop: the work below runs on the storage thread.
    const auto contexts = contexts_for(platforms_, names_, ticket_links_);
    std::map<std::string, int> queued_for;  // platform → digests queued
    std::optional<SysTime> next_due;        // the next digest to come, over the channels served here
    // One transaction per look: every channel's due check, build and queueing happen on the
    // storage thread, off the event loop.
    storage::Transactions::Work look = [&queued_for, &next_due, &contexts, now = now_()](storage::Store& s) {
      queued_for.clear();
      next_due.reset();
      for (const auto& settings : s.scheduled_channels()) {
        const auto context = served_context(contexts, s.workspace_platform(settings.team));
        if (context == contexts.end()) continue;  // another process serves that platform
        const auto& platform = context->first;
        const auto zone = zone_of(settings);
        if (const auto next = next_run(settings.schedule, zone, now); next && (!next_due || *next < *next_due)) {
          next_due = next;
        }
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
        const auto outcome = queue_digest(s, settings, due->scheduled_for, now, context->second);
        if (outcome == DigestOutcome::queued) ++queued_for[platform];
        log::info("digest", settings.channel + ": " +
                                (outcome == DigestOutcome::queued ? "digest queued" : "nothing new and nothing quiet; no digest"));
      }
    };
    const auto result = co_await transact(transactions_, std::move(look), std::chrono::minutes(1));
    if (!result.committed()) log::error("digest", "scheduled digests failed: " + result.error);
    for (const auto& [platform, digests] : queued_for) {
      if (result.committed()) metrics_.digests_queued.with({platform}).inc(static_cast<std::uint64_t>(digests));
      platforms_.wake(platform);
    }
    if (stopping_) break;  // stop() may have come while the look was being stored
    // Until the next digest is due, so it comes on its minute; but never longer than max_sleep_,
    // so a clock that jumps (a suspended machine, an operator's correction) is noticed.
    auto sleep = max_sleep_;
    if (!result.committed()) {
      sleep = std::min(max_sleep_, retry_after_failure);
    } else if (next_due) {
      sleep = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*next_due - now_()),
                         std::chrono::milliseconds(0), max_sleep_);
    }
    if (!woken_) co_await wake_.wait(sleep);
  }
}

}  // namespace microalign::app
