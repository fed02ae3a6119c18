// Channel digests on Slack: gathering a channel's facts, building the digest, and queueing it in
// the outbox in the same transaction that records the run (so a period is never posted twice);
// and the scheduler that does so when each channel's schedule says.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>

#include "microalign/core/digest.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/storage/channels.hpp"

namespace microalign::storage {
class Transactions;
class Store;
}  // namespace microalign::storage

namespace microalign::slack {

class OutboxSender;

// What a digest needs besides the store: where links point and what people are called.
struct DigestContext {
  std::string workspace_url;                 // from auth.test, for permalinks
  std::map<std::string, std::string> names;  // user id → display name
};

// The digest for the channel's window ending at `as_of` (starting where the last posted one
// ended), without recording or sending anything.
Digest preview_digest(storage::Store&, const storage::ChannelSettings&, SysTime as_of, const DigestContext&);

enum class DigestOutcome { queued, nothing_to_say, already_done };

// Builds the digest for the slot `scheduled_for` as of `now`, records the run and queues its
// messages, all in the caller's transaction (a storage::Transactions item).
DigestOutcome queue_digest(storage::Store&, const storage::ChannelSettings&, SysTime scheduled_for, SysTime now,
                           const DigestContext&);

// Looks at every scheduled channel when started and then every `tick`: posts the digests that
// are due, and skips (with a log line) those missed by more than six hours.
class DigestScheduler {
 public:
  using Clock = std::function<SysTime()>;

  DigestScheduler(boost::asio::any_io_executor, storage::Transactions&, OutboxSender&, Clock,
                  std::function<DigestContext()> context, std::chrono::milliseconds tick = std::chrono::seconds(30));

  boost::asio::awaitable<void> run();
  void stop();

 private:
  storage::Transactions& commits_;
  OutboxSender& sender_;
  Clock now_;
  std::function<DigestContext()> context_;
  std::chrono::milliseconds tick_;
  net::Signal wake_;
  bool stopping_ = false;
};

}  // namespace microalign::slack
