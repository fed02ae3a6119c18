#include "microalign/slack/nudges.hpp"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "microalign/core/log.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/outbox_sender.hpp"
#include "microalign/slack/payloads.hpp"
#include "microalign/slack/permalink.hpp"
#include "microalign/slack/web_api.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/outbox.hpp"
#include "microalign/storage/people.hpp"

namespace microalign::slack {
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

// users.info is asked about this many people a tick at most, each for at most this long; a
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

storage::OutboxMessage dm_message(const std::string& team, const std::string& owner, const Message& dm, SysTime now) {
  auto body = to_block_kit(dm);
  body[open_dm_with_key] = owner;  // the sender opens the DM and posts there
  body["unfurl_links"] = false;
  body["unfurl_media"] = false;
  storage::OutboxMessage m;
  m.team = team;
  m.channel = owner;  // paced per person; nobody is told about a DM that fails
  m.method = "chat.postMessage";
  m.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
  for (const auto& [user, name] : context.names) dm.names[user] = name;
  dm.link_to = [url = context.workspace_url](const Update& u) { return update_permalink(url, u); };
  int queued = 0;
  for (const auto& plan : team.report.nudges) {
    if (hold && hold(plan.owner)) continue;
    const auto profile = team.owners.find(plan.owner);
    dm.owner_time_zone = profile == team.owners.end() ? std::string{} : profile->second.time_zone;
    s.enqueue(dm_message(team.team, plan.owner, render_nudge_dm(plan, dm, now), now));
    for (const auto& c : plan.tickets) s.record_nudge(team.team, c.ticket.key, c.ticket.last_update.id, now);
    s.record_nudge_dm(team.team, plan.owner, now);
    ++queued;
  }
  return queued;
}

NudgeScheduler::NudgeScheduler(asio::any_io_executor executor, storage::Transactions& commits, OutboxSender& sender,
                               WebApi& lookups, Clock now, std::function<DigestContext()> context,
                               std::chrono::milliseconds tick)
    : commits_(commits),
      sender_(sender),
      lookups_(lookups),
      now_(std::move(now)),
      context_(std::move(context)),
      tick_(tick),
      wake_(executor) {}

void NudgeScheduler::stop() {
  stopping_ = true;
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
    ++asked;
    nlohmann::json args;
    args["user"] = person.second;
    auto reply = co_await lookups_.call("users.info", std::move(args), TokenKind::bot, lookup_timeout);
    const auto zone = reply.ok ? user_time_zone(reply.body) : std::string{};
    if (!is_known_time_zone(zone)) {
      failed_lookups_[person] = now_();
      log::warn("nudge", "no time zone for " + person.second + " (" + (reply.ok ? "none given" : reply.error) +
                             "): nudged in UTC hours for now");
      continue;
    }
    failed_lookups_.erase(person);
    learned[person] = Learned{zone, user_display_name(reply.body)};
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
    const auto now = now_();
    std::set<Person> missing;
    int queued = 0;
    storage::Transactions::Work tick = [&learned, &missing, &queued, now, given_up = given_up(now),
                                        context = context_()](storage::Store& s) {
      missing.clear();
      queued = 0;
      for (const auto& [person, what] : learned) {
        s.set_time_zone(person.first, person.second, what.time_zone);
        s.remember_name(person.first, person.second, what.name, now);
      }
      for (const auto& team : plan_all_nudges(s, now)) {
        for (const auto& [user, profile] : team.owners) {
          const Person person{team.team, user};
          if (profile.time_zone.empty() && !given_up.contains(person)) missing.insert(person);
        }
        queued += queue_nudges(s, team, now, context,
                               [&](const std::string& owner) { return missing.contains({team.team, owner}); });
      }
    };
    auto result = co_await commit(commits_, std::move(tick), std::chrono::minutes(1));
    if (!result.committed()) {
      log::error("nudge", "nudges failed: " + result.error);
      missing.clear();  // (the zones learned are stored by the next tick)
    } else {
      learned.clear();
      if (queued > 0) {
        log::info("nudge", std::to_string(queued) + " nudge DM(s) queued");
        sender_.wake();
      }
    }
    if (stopping_) break;  // stop() may have come while the tick was being stored
    if (!missing.empty()) {
      learned = co_await look_up(missing);
      if (stopping_) break;
      if (!learned.empty()) continue;
    }
    co_await wake_.wait(tick_);
  }
}

}  // namespace microalign::slack
