#include "microalign/app/nudges.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include "microalign/app/metrics.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/platforms.hpp"
#include "microalign/app/transact.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;

// `/microalign quiet` takes 1–30 working days. A working day is one whole local day, never
// shorter than 23 hours (a DST change), and weekends and holidays only push a quiet period's
// start further back; so no ticket updated after this can be quiet anywhere. The policy
// decides for the rest, per owner and channel.
SysTime candidate_cutoff(SysTime now) {
  constexpr int shortest_quiet_days = 1;
  return now - shortest_quiet_days * std::chrono::hours(23);
}

// The platforms are asked about this many people a tick at most, each for at most this long; a
// failed lookup is tried again after this while.
constexpr std::size_t lookups_per_tick = 20;
constexpr auto lookup_timeout = std::chrono::seconds(5);
constexpr auto retry_failed_lookup_after = std::chrono::hours(6);

// A workspace's candidates and the profiles of their owners.
struct TeamCandidates {
  std::string team;
  std::vector<NudgeCandidate> candidates;
  std::map<std::string, OwnerProfile> owners;
};

// The candidates come ordered by team (then owner): each team's run is one group, because the
// policy and the people table key owners by user id, which is only unique within a workspace.
std::vector<TeamCandidates> candidates_by_team(storage::Store& s, SysTime now) {
  auto candidates = s.nudge_candidates(candidate_cutoff(now));
  std::vector<TeamCandidates> teams;
  for (auto first = candidates.begin(); first != candidates.end();) {
    const auto last = std::find_if(first, candidates.end(), [&](const NudgeCandidate& c) { return c.team != first->team; });
    TeamCandidates& team = teams.emplace_back();
    team.team = first->team;
    team.candidates.assign(std::make_move_iterator(first), std::make_move_iterator(last));
    std::vector<std::string> users;
    for (const auto& c : team.candidates) {
      if (!c.ticket.owner.empty() && (users.empty() || users.back() != c.ticket.owner)) users.push_back(c.ticket.owner);
    }
    team.owners = s.owner_profiles(team.team, users);
    first = last;
  }
  return teams;
}

storage::OutboxMessage dm_message(const std::string& team, const std::string& owner, const DigestContext& context,
                                  Message dm, SysTime now) {
  storage::OutboxMessage m;
  m.platform = context.platform;
  m.team = team;
  m.destination = owner;  // paced per person; nobody is told about a DM that fails
  m.delivery = storage::Delivery::direct;
  m.message = std::move(dm);
  m.interactive = true;  // answered with its buttons, each answer rewriting it
  m.purpose = storage::Purpose::nudge;
  m.created_at = now;
  m.not_before = now;
  return m;
}

}  // namespace

std::vector<TeamNudges> plan_all_nudges(storage::Store& s, SysTime now) {
  std::vector<TeamNudges> plans;
  for (auto& team : candidates_by_team(s, now)) {
    TeamNudges& planned = plans.emplace_back();
    planned.team = std::move(team.team);
    planned.report = plan_nudges(std::move(team.candidates), team.owners, now);
    planned.owners = std::move(team.owners);
  }
  return plans;
}

int queue_nudges(storage::Store& s, const TeamNudges& team, SysTime now, const DigestContext& context,
                 const std::function<bool(const std::string& owner)>& hold) {
  NudgeDmContext dm;
  dm.names = s.known_names(team.team);
  if (const auto learned = context.names.find(team.team); learned != context.names.end()) {
    for (const auto& [user, name] : learned->second) dm.names[user] = name;
  }
  dm.link_to = context.link_to;
  dm.spelling = context.spelling;
  dm.max_tickets = context.limits.max_nudge_tickets;
  dm.ticket_links = context.ticket_links;
  int queued = 0;
  for (const auto& plan : team.report.nudges) {
    if (hold && hold(plan.owner)) continue;
    // Recorded first: a ticket another replica nudged about at the same moment is left out, and
    // a DM left with no ticket is not sent — each quiet period gets one nudge.
    NudgePlan fresh{plan.owner, {}};
    for (const auto& c : plan.tickets) {
      if (s.record_nudge(team.team, c.ticket.key, c.ticket.last_update.id, now)) fresh.tickets.push_back(c);
    }
    if (fresh.tickets.empty()) continue;
    const auto profile = team.owners.find(plan.owner);
    dm.owner_time_zone = profile == team.owners.end() ? std::string{} : profile->second.time_zone;
    s.enqueue(dm_message(team.team, plan.owner, context, render_nudge_dm(fresh, dm, now), now));
    s.record_nudge_dm(team.team, plan.owner, now);
    ++queued;
  }
  return queued;
}

NudgeScheduler::NudgeScheduler(asio::any_io_executor executor, storage::Transactions& transactions,
                               Platforms& platforms, Names& names, Clock now, AppMetrics& metrics,
                               TrackerHomes ticket_links, std::chrono::milliseconds tick)
    : transactions_(transactions),
      platforms_(platforms),
      names_(names),
      now_(std::move(now)),
      metrics_(metrics),
      ticket_links_(std::move(ticket_links)),
      tick_(tick),
      wake_(executor) {}

void NudgeScheduler::stop() {
  stopping_ = true;
  wake_.notify();
}

void NudgeScheduler::wake() {
  woken_ = true;
  wake_.notify();
}

std::set<NudgeScheduler::Person> NudgeScheduler::given_up(SysTime now) const {
  std::set<Person> people;
  for (const auto& [person, failed_at] : failed_lookups_) {
    if (now - failed_at < retry_failed_lookup_after) people.insert(person);
  }
  return people;
}

asio::awaitable<std::map<NudgeScheduler::Person, NudgeScheduler::Learned>> NudgeScheduler::look_up(
    const std::set<Person>& people) {
  std::map<Person, Learned> learned;
  std::size_t asked = 0;
  for (const auto& person : people) {
    if (stopping_ || asked == lookups_per_tick) break;
    auto* platform = platforms_.find(person.platform);
    if (!platform) continue;
    ++asked;
    const auto found = co_await platform->look_up(person.team, person.user, lookup_timeout, Platform::Urgency::background);
    if (!found.found || !is_known_time_zone(found.time_zone)) {
      failed_lookups_[person] = now_();
      log::warn("nudge", "no time zone for " + person.user + " (" + (found.found ? "none given" : found.error) +
                             "): nudged in UTC hours for now");
      continue;
    }
    failed_lookups_.erase(person);
    if (!found.name.empty()) names_.remember(person.team, person.user, found.name);
    learned[person] = Learned{found.time_zone, found.name};
  }
  co_return learned;
}

// Each tick reads the candidates once: it stores the zones learned since the last one, plans,
// queues the DMs of owners whose zone is known (or could not be learned), and collects the
// owners still to be asked. When some were just learned, the next tick runs at once, so they
// wait for the lookup, not for a whole tick.
asio::awaitable<void> NudgeScheduler::run() {
  std::map<Person, Learned> learned;
  while (!stopping_) {
    woken_ = false;  // a wake() from here on is seen below, even one that comes mid-tick
    const auto now = now_();
    // Made here, on the loop: the work below runs on the storage thread.
    const auto contexts = contexts_for(platforms_, names_, ticket_links_);
    std::set<Person> missing;
    std::map<std::string, int> queued_for;  // platform → DMs queued
    int queued = 0;
    storage::Transactions::Work tick = [&learned, &missing, &queued_for, &queued, &contexts, now,
                                        given_up = given_up(now)](storage::Store& s) {
      missing.clear();
      queued_for.clear();
      queued = 0;
      for (const auto& [person, what] : learned) {
        s.set_time_zone(person.team, person.user, what.time_zone);
        s.remember_name(person.team, person.user, what.name, now);
      }
      for (const auto& team : plan_all_nudges(s, now)) {
        const auto context = served_context(contexts, s.workspace_platform(team.team));
        if (context == contexts.end()) continue;  // another process serves that platform
        const auto& platform = context->first;
        for (const auto& [user, profile] : team.owners) {
          const Person person{platform, team.team, user};
          if (profile.time_zone.empty() && !given_up.contains(person)) missing.insert(person);
        }
        const int dms = queue_nudges(s, team, now, context->second, [&](const std::string& owner) {
          return missing.contains({platform, team.team, owner});
        });
        if (dms > 0) queued_for[platform] += dms;
        queued += dms;
      }
    };
    const auto result = co_await transact(transactions_, std::move(tick), std::chrono::minutes(1));
    if (!result.committed()) {
      log::error("nudge", "nudges failed: " + result.error);
      missing.clear();  // (the zones learned are stored by the next tick)
    } else {
      learned.clear();
      if (queued > 0) log::info("nudge", std::to_string(queued) + " nudge DM(s) queued");
      for (const auto& [platform, dms] : queued_for) {
        metrics_.nudges_queued.with({platform}).inc(static_cast<std::uint64_t>(dms));
        platforms_.wake(platform);
      }
    }
    if (stopping_) break;  // stop() may have come while the tick was being stored
    if (!missing.empty()) {
      learned = co_await look_up(missing);
      if (stopping_) break;
      if (!learned.empty()) continue;
    }
    if (!woken_) co_await wake_.wait(tick_);
  }
}

}  // namespace microalign::app
