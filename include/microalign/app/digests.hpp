// Channel digests: gathering a channel's facts, building the digest, and queueing it in the
// outbox in the same transaction that records the run (so a period is never posted twice); and
// the scheduler that does so when each channel's schedule says.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "microalign/app/clock.hpp"
#include "microalign/app/names.hpp"
#include "microalign/app/platform.hpp"
#include "microalign/core/digest.hpp"
#include "microalign/core/ticket_links.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/storage/channels.hpp"

namespace microalign::storage {
class Store;
class Transactions;
}  // namespace microalign::storage

namespace microalign::app {

class Platforms;
struct AppMetrics;

// What a digest (or a nudge DM) needs besides the store: the platform it goes to, what people
// are called, where links point and how big a message may be.
struct DigestContext {
  std::string platform;
  std::map<std::string, Names::ByUser> names;          // team → user id → name, laid over the store's
  std::function<std::string(const Update&)> link_to;   // "" when there is no link
  MessageLimits limits;
  CommandSpelling spelling = slash_commands();  // how people there type commands
  TrackerHomes ticket_links{};                  // where Jira and Linear keys link
};

// For a platform served here: the names learned so far, its links and its limits.
DigestContext context_for(const Platform&, const Names&, const TrackerHomes&);
// Outside the running bot (the command line): no names learned, no links, default limits.
DigestContext offline_context(std::string platform, TrackerHomes = {});

// The contexts of the platforms served here, by platform name.
using DigestContexts = std::map<std::string, DigestContext, std::less<>>;
DigestContexts contexts_for(const Platforms&, const Names&, const TrackerHomes&);
// The context for a workspace on `platform` (as the store recorded it), or end() when that
// platform is not served here. A workspace whose platform was never recorded (its data came
// from before microalign served several platforms, or not through the bot) is taken to be on
// the platform served, when there is only one.
DigestContexts::const_iterator served_context(const DigestContexts&, const std::optional<std::string>& platform);

// The digest for the channel's window ending at `as_of` (starting where the last posted one
// ended), without recording or sending anything.
Digest preview_digest(storage::Store&, const storage::ChannelSettings&, SysTime as_of, const DigestContext&);

enum class DigestOutcome { queued, nothing_to_say, already_done };

// Builds the digest for the slot `scheduled_for` as of `now`, records the run and queues its
// messages (due at `now`), all in the caller's transaction.
DigestOutcome queue_digest(storage::Store&, const storage::ChannelSettings&, SysTime scheduled_for, SysTime now,
                           const DigestContext&);

// Looks at every scheduled channel when started, then again when the next digest is due (each
// channel's schedule in its own zone) and whenever woken, and at least every `max_sleep`: posts
// the digests that are due on the platforms served here, and skips (with a log line) those
// missed by more than six hours.
class DigestScheduler {
 public:
  DigestScheduler(boost::asio::any_io_executor, storage::Transactions&, Platforms&, const Names&, Clock, AppMetrics&,
                  TrackerHomes ticket_links, std::chrono::milliseconds max_sleep = std::chrono::hours(1));

  boost::asio::awaitable<void> run();
  void stop();
  // Looks at the schedules now rather than when the next digest is due (a schedule changed, or
  // the sandbox's clock moved).
  void wake();

 private:
  storage::Transactions& transactions_;
  Platforms& platforms_;
  const Names& names_;
  Clock now_;
  AppMetrics& metrics_;
  TrackerHomes ticket_links_;
  std::chrono::milliseconds max_sleep_;
  net::Signal wake_;
  bool woken_ = false;  // wake() came since the current look began
  bool stopping_ = false;
};

}  // namespace microalign::app
