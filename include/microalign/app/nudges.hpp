// Nudges: planning every workspace's nudges over the store, queueing each owner's DM in the
// outbox in the same transaction that records it (so a DM is never sent twice nor lost), and
// the scheduler that learns owners' time zones and does so every few minutes.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "microalign/app/clock.hpp"
#include "microalign/app/digests.hpp"
#include "microalign/core/nudge_policy.hpp"
#include "microalign/net/signal.hpp"

namespace microalign::storage {
class Store;
class Transactions;
}  // namespace microalign::storage

namespace microalign::app {

class Names;
class Platforms;
struct AppMetrics;

// One workspace's nudges at a moment, with the profiles of the owners they were planned for.
struct TeamNudges {
  std::string team;
  NudgeReport report;
  std::map<std::string, OwnerProfile> owners;  // user id → profile
};

// Every workspace's nudge report at `now`, by team; nothing is recorded or sent.
std::vector<TeamNudges> plan_all_nudges(storage::Store&, SysTime now);

// Queues the DM of each of the team's nudges to its owner and records it (each ticket's nudge
// and the owner's DM of the day), all in the caller's transaction, except for the owners `hold`
// names. The DMs go to `context`'s platform, name people and link to updates as it says.
// Returns how many DMs were queued.
int queue_nudges(storage::Store&, const TeamNudges&, SysTime now, const DigestContext&,
                 const std::function<bool(const std::string& owner)>& hold = {});

// Every `tick`: plans every workspace's nudges and queues the DMs in one transaction, wakes the
// senders, and asks the platforms for the time zones of owners the store has none for (a few at
// a time). An owner whose zone is still to be asked waits for the lookup rather than be nudged
// in UTC hours; one whose lookup failed is asked again only hours later, and is nudged in UTC.
class NudgeScheduler {
 public:
  NudgeScheduler(boost::asio::any_io_executor, storage::Transactions&, Platforms&, Names&, Clock, AppMetrics&,
                 TrackerHomes ticket_links, std::chrono::milliseconds tick = std::chrono::minutes(5));

  boost::asio::awaitable<void> run();
  void stop();
  // Looks at quiet tickets now rather than at the next tick (the sandbox's clock moved).
  void wake();

 private:
  struct Person {
    std::string platform;
    std::string team;
    std::string user;
    auto operator<=>(const Person&) const = default;
  };
  struct Learned {
    std::string time_zone;
    std::string name;  // empty when the platform gave none
  };

  // Asks the platforms about the first few of `people`; the others wait.
  boost::asio::awaitable<std::map<Person, Learned>> look_up(const std::set<Person>& people);
  // Whose lookup failed lately: not asked again for a while, and nudged in UTC meanwhile.
  std::set<Person> given_up(SysTime now) const;

  storage::Transactions& transactions_;
  Platforms& platforms_;
  Names& names_;
  Clock now_;
  AppMetrics& metrics_;
  TrackerHomes ticket_links_;
  std::chrono::milliseconds tick_;
  net::Signal wake_;
  bool woken_ = false;  // wake() came since the current tick began
  bool stopping_ = false;
  std::map<Person, SysTime> failed_lookups_;  // when the lookup last failed for the person
};

}  // namespace microalign::app
