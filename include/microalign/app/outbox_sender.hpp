// A platform's outbox sender (one per platform in each replica): claims what is due for a while
// (storage::claim_lease), so that of several replicas on one database one sends each message;
// paces messages to about one a second per destination, waits out Retry-After and backs off on
// transient failures (the holds live in the database, so every replica keeps them), gives up
// with a logged, visible reason on permanent ones, and picks up where it left off after a
// restart; what a dead replica had claimed goes out once its lease runs out. What it sends, the
// platform renders; what happens after a failure (a retry, the command's own answer instead, a
// note to whoever configured the channel) is decided here, the same for every platform.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "microalign/app/clock.hpp"
#include "microalign/app/metrics.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/storage/outbox.hpp"

namespace microalign::storage {
class Transactions;
}  // namespace microalign::storage

namespace microalign::app {

class Platform;
struct SendOutcome;

class OutboxSender {
 public:
  // Counts its sends in `registry` (app/metrics.hpp).
  OutboxSender(boost::asio::any_io_executor, Platform&, storage::Transactions&, Clock,
               metrics::Registry& registry = metrics::default_registry());

  // Sends until stop(); returns once the message in flight (if any) is settled.
  boost::asio::awaitable<void> run();
  void wake();  // something new was queued
  void stop();

 private:
  OutboxSender(boost::asio::any_io_executor, Platform&, storage::Transactions&, Clock, const AppMetrics&);

  boost::asio::awaitable<void> send(const storage::OutboxMessage&);
  // Where the message goes: its destination, or for a direct message the person's direct
  // conversation (remembered, or opened); nullopt when it could not be opened (settled already).
  boost::asio::awaitable<std::optional<std::string>> conversation_for(const storage::OutboxMessage&);
  boost::asio::awaitable<void> settle(const storage::OutboxMessage&, const SendOutcome&);
  boost::asio::awaitable<void> fall_back(const storage::OutboxMessage&, const std::string& error);

  Platform& platform_;
  storage::Transactions& transactions_;
  Clock now_;
  net::Signal wake_;
  bool woken_ = false;  // wake() came since the current pass began to read the outbox
  bool stopping_ = false;
  std::map<std::string, std::string> direct_conversations_;     // "team user" → conversation
  std::set<storage::Delivery> limited_;                         // kinds the platform rate limited during this pass
  // This platform's series, resolved once.
  metrics::Counter& sent_;
  metrics::Counter& retried_;
  metrics::Counter& failed_;
  metrics::Counter& digests_posted_;
  metrics::Counter& nudges_sent_;
};

}  // namespace microalign::app
