// The outbox: every message the bot sends is written here, in the same transaction as the state
// that caused it, and sent later by one sender per platform. Nothing queued is lost across
// restarts. Rows are platform-neutral: they hold the platform, the destination, how to deliver
// it and the core Message; the platform's adapter renders it when it sends, and the ids it gets
// back (Slack's ts, a Teams activity id) are recorded as the message's `ref`.
#pragma once

#include <cstddef>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"

namespace microalign::storage {

// How a message reaches people.
enum class Delivery {
  post,           // a new message in the channel `destination`, or in one of its threads
  direct,         // to the person `destination`, in their direct conversation with the bot
  update,         // a new version of the bot's message `target` in the conversation `destination`
  reply,          // through `reply_handle` (a command's own answer), seen by the whole channel
  private_reply,  // through `reply_handle`, seen only by whoever used the command
};
std::string_view to_string(Delivery);
std::optional<Delivery> delivery_from_string(std::string_view);

// What a message is, where the operator counts it (GET /metrics: digests posted, nudges sent).
enum class Purpose {
  other,
  digest,  // the first message of a digest (the rest of it, if any, is `other`)
  nudge,   // a nudge DM
};
std::string_view to_string(Purpose);
std::optional<Purpose> purpose_from_string(std::string_view);

struct OutboxMessage {
  std::int64_t id = 0;       // assigned by enqueue
  std::string platform;      // the adapter that sends it: "slack", "teams", "sandbox"
  std::string team;
  std::string destination;   // a channel id; the person's user id for `direct`; for replies,
                             // the channel the command came from. Pacing is per destination.
  Delivery delivery = Delivery::post;
  Purpose purpose = Purpose::other;
  Message message;           // what to say, rendered by the platform when it is sent
  std::string rendered;      // instead of `message`: a payload already in the platform's own
                             // format (rows carried over from before the outbox was neutral)
  std::string thread;        // post: a reply in this platform thread (a mention's thread)
  std::int64_t thread_of = 0;  // post: a reply in the thread of this outbox message, once sent
  std::string target;        // update: the platform's id of the message it replaces
  std::string reply_handle;  // reply, private_reply: where to answer (Slack's response_url);
                             // post: where the message goes instead when the bot cannot post
                             // in the channel. A credential: never logged.
  bool interactive = false;  // people answer it with its buttons: once sent, it is kept
                             // (interactive_messages.hpp) so each answer rewrites it in place
  std::int64_t update_id = 0;     // an echo: the update gets the message's ref as its echo_ref
  std::string notify_on_failure;  // user to tell, privately, when it cannot be sent at all
  int attempts = 0;      // sends tried and put off until later (retry_later counts them)
  SysTime not_before{};  // not to be sent before this (backoff, Retry-After); {}: at once
  SysTime created_at{};
};

enum class OutboxState { pending, sent, failed };

// A platform's messages still to send: how many, and when the oldest of them was queued.
struct OutboxBacklog {
  std::string platform;
  std::size_t pending = 0;
  SysTime oldest{};
  bool operator==(const OutboxBacklog&) const = default;
};

// Where a sent message went and the platform's id for it. `conversation` is the channel, or the
// direct conversation opened for a `direct` message; `ref` is empty for replies, which get none.
struct SentMessage {
  std::string conversation;
  std::string ref;
  bool operator==(const SentMessage&) const = default;
};

// What a platform's senders hold back for a while, whichever replica they run in: sends to one
// destination (pacing: about one a second each), or every send of one kind of delivery (the
// platform's Retry-After answer, which holds for all of that kind).
enum class HoldKind { destination, delivery };
std::string_view to_string(HoldKind);  // "destination", "delivery": how outbox_holds spells them

// How long a sender may take to send what it claimed before another sender (another replica's,
// or its own after a restart) may claim it again. Kept short: a replica that dies mid-send
// delays its claimed messages by at most this long; and long enough for a send's own deadlines.
constexpr std::chrono::seconds claim_lease{30};

// Every message the bot sends, from the transaction that decided it until it is sent.
class Outbox {
 public:
  // Queues the message (pending) and returns its id. A reply to a message that has already failed
  // fails at once, as its pending siblings did (see mark_failed).
  virtual std::int64_t enqueue(OutboxMessage) = 0;

  // The platform's pending messages due at `now`, at most `limit`, in the order they fell due
  // (not_before, then the order they were queued: a digest's messages, queued together, keep
  // their order). A reply whose thread parent has not been sent yet is not due (it needs the
  // parent's ref).
  virtual std::vector<OutboxMessage> due_messages(std::string_view platform, SysTime now, int limit) = 0;

  // Claims what the platform's sender may send now, at most `limit` messages, until
  // `lease_until`: no other claim returns them before then (unless they are settled first), so
  // that of several replicas one sends each message. A message is claimable when it is due, not
  // claimed by a lease still running, not held back (hold()), its thread parent is sent, and it
  // is the first of its destination's due messages (one message a destination at a time, in the
  // order they fell due). Returned in the order they fell due. Runs inside a transaction; on
  // PostgreSQL, rows another replica is claiming at the same moment are skipped (row locks).
  virtual std::vector<OutboxMessage> claim_due(std::string_view platform, SysTime now, int limit,
                                               SysTime lease_until) = 0;

  // Gives a claimed message back unsent: the next claim may take it at once.
  virtual void release(std::int64_t id) = 0;

  // Holds the platform's sends to `name` (a destination, or a delivery's name) until `until`,
  // or later if it is held longer already.
  virtual void hold(std::string_view platform, HoldKind, std::string_view name, SysTime until) = 0;

  // When the platform's next pending message could be claimed: its due time, or later while it
  // is claimed or held back; not counting replies still waiting for their parent (nullopt:
  // nothing pending that could be sent).
  virtual std::optional<SysTime> next_due(std::string_view platform) = 0;

  // Where a sent message went; nullopt when it is not sent.
  virtual std::optional<SentMessage> sent_message(std::int64_t id) = 0;

  // These three settle a message and end its claim.
  // Records the message as sent; an echo's update gets the ref as its echo_ref in the same call.
  virtual void mark_sent(std::int64_t id, const SentMessage&, SysTime at) = 0;

  // Puts the message off until `not_before`, counting the attempt and keeping `error`.
  virtual void retry_later(std::int64_t id, SysTime not_before, const std::string& error) = 0;

  // Gives up on the message. Its pending replies (and theirs) can never go into its thread, so
  // they fail with it, with the error "thread parent could not be sent".
  virtual void mark_failed(std::int64_t id, const std::string& error, SysTime at) = 0;

  // Forgets messages finished (sent or given up on) before `finished_before`, at most `limit` of
  // them (and holds that ended before then), and returns how many messages: fewer than `limit` means none is left to
  // forget. A message that a remaining one replies to stays (the reply refers to it, and needs its ref while pending),
  // so a thread goes replies first, then its parent. Pending messages stay, however old. An echo can go: its update
  // keeps the ref as its echo_ref.
  virtual std::size_t prune_outbox(SysTime finished_before, std::size_t limit) = 0;

  virtual std::optional<OutboxState> outbox_state(std::int64_t id) = 0;
  virtual std::size_t pending_count() = 0;  // every platform's

  // Each platform with messages pending, in the platform's name order: for the operator (the
  // outbox's depth and oldest message, at every scrape of GET /metrics).
  virtual std::vector<OutboxBacklog> outbox_backlog() = 0;

 protected:
  ~Outbox() = default;
};

}  // namespace microalign::storage
