#include "microalign/app/outbox_sender.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "microalign/app/metrics.hpp"
#include "microalign/app/platform.hpp"
#include "microalign/app/transact.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int max_attempts = 8;
constexpr int batch_size = 50;
constexpr auto pacing = seconds(1);      // about one message a second per destination
// Look again even without a wake(): another replica may have queued something, or died leaving
// its claims to run out.
constexpr auto idle_poll = seconds(30);
// The longest one send may take: opening a direct conversation, then the send, each under the
// platform's own 10-second deadline. A send is started only while this much of its claim is left.
constexpr auto max_send_time = seconds(20);
// Every stored update wakes the sender: in a burst thousands of times a second, each wake asking
// for a read of the outbox on the storage thread that those updates are waiting for. Wakes within
// this long of the last pass share the next one (with pacing at a second a destination, an echo
// posted 50 ms later is not noticed).
constexpr auto min_pass_gap = milliseconds(50);

// 1, 2, 4 … seconds, capped at five minutes: platforms' bad moments are usually short.
milliseconds retry_delay(int attempts) {
  return std::min<milliseconds>(seconds(1) * (1 << std::min(attempts, 9)), std::chrono::minutes(5));
}

std::string describe(const storage::OutboxMessage& m) {
  return "message #" + std::to_string(m.id) + " (" + std::string(to_string(m.delivery)) + " to " + m.destination + ")";
}

// A message queued by the sender itself, as a consequence of another one's fate.
storage::OutboxMessage follow_up(const storage::OutboxMessage& cause, storage::Delivery delivery,
                                 std::string destination, SysTime now) {
  storage::OutboxMessage m;
  m.platform = cause.platform;
  m.team = cause.team;
  m.destination = std::move(destination);
  m.delivery = delivery;
  m.created_at = now;
  m.not_before = now;
  return m;
}

}  // namespace

OutboxSender::OutboxSender(asio::any_io_executor executor, Platform& platform, storage::Transactions& transactions,
                           Clock now, metrics::Registry& registry)
    : OutboxSender(executor, platform, transactions, std::move(now), AppMetrics(registry)) {}

OutboxSender::OutboxSender(asio::any_io_executor executor, Platform& platform, storage::Transactions& transactions,
                           Clock now, const AppMetrics& metrics)
    : platform_(platform),
      transactions_(transactions),
      now_(std::move(now)),
      wake_(executor),
      sent_(metrics.outbox_sends.with({platform.name(), "sent"})),
      retried_(metrics.outbox_sends.with({platform.name(), "retried"})),
      failed_(metrics.outbox_sends.with({platform.name(), "failed"})),
      digests_posted_(metrics.digests_posted.with({platform.name()})),
      nudges_sent_(metrics.nudges_sent.with({platform.name()})) {}

void OutboxSender::wake() {
  woken_ = true;
  wake_.notify();
}

void OutboxSender::stop() {
  stopping_ = true;
  wake_.notify();
}

asio::awaitable<void> OutboxSender::run() {
  const std::string platform(platform_.name());
  asio::steady_timer gap(co_await asio::this_coro::executor);
  while (!stopping_) {
    const auto pass_started = std::chrono::steady_clock::now();
    woken_ = false;  // what is queued from here on, this pass reads, or its wake() is remembered
    const auto now = now_();
    const auto lease_until = now + storage::claim_lease;
    std::string failure;
    auto claimed = co_await query<std::vector<storage::OutboxMessage>>(
        transactions_,
        [&platform, now, lease_until](storage::Store& s) {
          return s.claim_due(platform, now, batch_size, lease_until);
        },
        &failure);
    if (!claimed) {
      log::error("outbox", "cannot read the outbox (" + failure + "); trying again shortly");
      co_await wake_.wait(seconds(5));
      continue;
    }

    bool sent_any = false;
    limited_.clear();
    std::vector<std::int64_t> unsent;  // claimed, then left for the next claim
    for (const auto& message : *claimed) {
      // A send that could outlast the claim might overlap another sender's, which may claim the
      // message once the lease is out; and a kind the platform just limited waits (its hold, in
      // the database, keeps it out of the next claims).
      if (stopping_ || now_() + max_send_time > lease_until || limited_.contains(message.delivery)) {
        unsent.push_back(message.id);
        continue;
      }
      co_await send(message);
      sent_any = true;
    }
    if (!unsent.empty()) {
      storage::Transactions::Work give_back = [&unsent](storage::Store& s) {
        for (const auto id : unsent) s.release(id);
      };
      co_await transact(transactions_, std::move(give_back), seconds(30));  // else their leases run out
    }
    if (sent_any || stopping_) continue;

    auto next_due = co_await query<std::optional<SysTime>>(
        transactions_, [&platform](storage::Store& s) { return s.next_due(platform); });
    // next_due counts holds and other senders' claims: a message due already was queued since the
    // pass claimed, by something that could not wake this sender (another process), or is held
    // back on a destination by a claim under way elsewhere; either way look again soon.
    auto wait = milliseconds(idle_poll);
    if (next_due && *next_due) wait = std::clamp<milliseconds>(**next_due - now_(), min_pass_gap, idle_poll);
    if (stopping_) break;  // stop() may have come while the query above was under way
    // Unless something was queued while this pass read the outbox: then look again.
    if (!woken_) co_await wake_.wait(wait);
    if (const auto since = std::chrono::steady_clock::now() - pass_started; since < min_pass_gap && !stopping_) {
      gap.expires_after(min_pass_gap - since);
      co_await gap.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
}

asio::awaitable<std::optional<std::string>> OutboxSender::conversation_for(const storage::OutboxMessage& m) {
  if (m.delivery != storage::Delivery::direct) co_return m.destination;
  const auto key = m.team + " " + m.destination;
  if (const auto known = direct_conversations_.find(key); known != direct_conversations_.end()) {
    co_return known->second;
  }
  const auto stored = co_await query<std::optional<std::string>>(
      transactions_, [&m](storage::Store& s) { return s.direct_conversation(m.platform, m.team, m.destination); });
  if (stored && *stored) {
    direct_conversations_[key] = **stored;
    co_return **stored;
  }
  const auto opened = co_await platform_.open_direct(m.team, m.destination);
  if (!opened.ok) {
    co_await settle(m, opened);  // retried or given up on like the send itself
    co_return std::nullopt;
  }
  const auto& conversation = opened.sent.conversation;
  storage::Transactions::Work remember = [&m, &conversation, now = now_()](storage::Store& s) {
    s.remember_direct_conversation(m.platform, m.team, m.destination, conversation, now);
  };
  co_await transact(transactions_, std::move(remember), seconds(30));  // opened again later if this fails
  direct_conversations_[key] = conversation;
  co_return conversation;
}

asio::awaitable<void> OutboxSender::send(const storage::OutboxMessage& message) {
  const auto conversation = co_await conversation_for(message);
  if (!conversation) co_return;
  std::optional<storage::SentMessage> parent;
  if (message.thread_of != 0) {
    auto read = co_await query<std::optional<storage::SentMessage>>(
        transactions_, [id = message.thread_of](storage::Store& s) { return s.sent_message(id); });
    if (read) parent = std::move(*read);
  }
  const auto outcome = co_await platform_.send(message, *conversation, parent);
  co_await settle(message, outcome);
  if (!outcome.ok && outcome.cannot_post_here && message.delivery == storage::Delivery::post &&
      !message.reply_handle.empty()) {
    co_await fall_back(message, outcome.error);
  }
}

asio::awaitable<void> OutboxSender::settle(const storage::OutboxMessage& message, const SendOutcome& outcome) {
  const auto now = now_();
  storage::Transactions::Work record;
  // Pacing: the destination's next message waits a second, whichever replica sends it.
  const auto paced = [&message, now](storage::Store& s) {
    s.hold(message.platform, storage::HoldKind::destination, message.destination, now + pacing);
  };
  if (outcome.ok) {
    sent_.inc();
    if (message.purpose == storage::Purpose::digest) digests_posted_.inc();
    if (message.purpose == storage::Purpose::nudge) nudges_sent_.inc();
    record = [&message, &outcome, now, paced](storage::Store& s) {
      s.mark_sent(message.id, outcome.sent, now);
      paced(s);
      // Kept as sent, so the first answer rewrites this version (rendered rows predate this).
      if (message.interactive && message.rendered.empty()) {
        s.keep_interactive({message.platform, message.team, outcome.sent.conversation, outcome.sent.ref},
                           message.message, now);
      }
    };
  } else if (outcome.transient && message.attempts + 1 < max_attempts) {
    const auto delay = outcome.retry_after ? milliseconds(*outcome.retry_after) : retry_delay(message.attempts);
    retried_.inc();
    if (outcome.rate_limited && outcome.retry_after) limited_.insert(message.delivery);
    log::info("outbox", describe(message) + " will be retried in " + std::to_string(delay.count()) +
                            " ms: " + outcome.error);
    record = [&message, &outcome, now, delay, paced](storage::Store& s) {
      s.retry_later(message.id, now + delay, outcome.error);
      paced(s);
      // The platform's limit holds for everything of this kind, on every replica: it all waits.
      if (outcome.rate_limited && outcome.retry_after) {
        s.hold(message.platform, storage::HoldKind::delivery, to_string(message.delivery), now + *outcome.retry_after);
      }
    };
  } else {
    const auto reason = outcome.transient
                            ? "gave up after " + std::to_string(max_attempts) + " attempts: " + outcome.error
                            : outcome.error;
    log::warn("outbox", "could not send " + describe(message) + ": " + reason);
    failed_.inc();
    const bool tell_someone = !message.notify_on_failure.empty() && outcome.cannot_post_here;
    record = [&message, reason, now, tell_someone, paced, spelling = platform_.spelling()](storage::Store& s) {
      s.mark_failed(message.id, reason, now);
      paced(s);
      if (!tell_someone) return;
      auto note = follow_up(message, storage::Delivery::direct, message.notify_on_failure, now);
      note.message = render_cannot_post(message.destination, reason, spelling);
      s.enqueue(std::move(note));
    };
  }
  co_await transact(transactions_, std::move(record), seconds(30));
}

// Where the bot is not a member (a private channel, say), a command's own answer still reaches
// the channel: the echo goes there, and its author learns how to invite the bot.
asio::awaitable<void> OutboxSender::fall_back(const storage::OutboxMessage& message, const std::string& error) {
  storage::Transactions::Work queue_both = [&message, now = now_(),
                                            spelling = platform_.spelling()](storage::Store& s) {
    auto echo = follow_up(message, storage::Delivery::reply, message.destination, now);
    echo.message = message.message;
    echo.rendered = message.rendered;
    echo.reply_handle = message.reply_handle;
    s.enqueue(std::move(echo));
    auto hint = follow_up(message, storage::Delivery::private_reply, message.destination, now);
    hint.message = render_invite_hint(spelling);
    hint.reply_handle = message.reply_handle;
    s.enqueue(std::move(hint));
  };
  co_await transact(transactions_, std::move(queue_both), seconds(30));
  log::info("outbox", describe(message) + " goes through the command's answer instead (" + error + ")");
}

}  // namespace microalign::app
