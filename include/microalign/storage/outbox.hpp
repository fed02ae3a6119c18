// The outbox: every message the bot sends is written here, in the same transaction as the state
// that caused it, and sent later by one sender. Nothing queued is lost across restarts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "microalign/core/model.hpp"

namespace microalign::storage {

struct OutboxMessage {
  std::int64_t id = 0;  // assigned by enqueue
  std::string team;
  std::string channel;  // where it goes (the rate limit is per channel)
  std::string method;   // "chat.postMessage", "chat.postEphemeral", "chat.update" or "response_url"
  std::string body;     // the JSON body as sent; for response_url it includes "url" (the target)
  std::int64_t thread_of = 0;   // post as a reply in the thread of this outbox message (its ts)
  std::int64_t update_id = 0;   // an echo: the update gets the posted ts as its echo_ref
  std::string notify_on_failure;  // user to tell, privately, when it cannot be sent at all
  int attempts = 0;      // sends tried and put off until later (retry_later counts them)
  SysTime not_before{};  // not to be sent before this (backoff, Retry-After); {}: at once
  SysTime created_at{};
};

enum class OutboxState { pending, sent, failed };

// Writes run inside a transaction (a CommitQueue item), like the Store's own; outside one they
// throw std::logic_error.

// Every message the bot sends, from the transaction that decided it until it is sent.
class Outbox {
 public:
  // Queues the message (pending) and returns its id. A reply to a message that has already failed
  // fails at once, as its pending siblings did (see mark_failed).
  virtual std::int64_t enqueue(OutboxMessage) = 0;

  // Pending messages due at `now`, at most `limit`, in the order they fell due (not_before, then
  // the order they were queued: a digest's messages, queued together, keep their order). A reply
  // whose thread parent has not been sent yet is not due (it needs the parent's ts).
  virtual std::vector<OutboxMessage> due_messages(SysTime now, int limit) = 0;

  // When the next pending message becomes due, not counting replies still waiting for their
  // parent (nullopt: nothing pending that could be sent).
  virtual std::optional<SysTime> next_due() = 0;

  // The `ts` a sent message got (for replies in its thread); nullopt when it is not sent, or was
  // sent where no ts comes back (a response_url).
  virtual std::optional<std::string> sent_ts(std::int64_t id) = 0;

  // Records the message as sent with its ts; an echo's update gets the ts as its echo_ref in the
  // same call.
  virtual void mark_sent(std::int64_t id, const std::string& ts, SysTime at) = 0;

  // Puts the message off until `not_before`, counting the attempt and keeping `error`.
  virtual void retry_later(std::int64_t id, SysTime not_before, const std::string& error) = 0;

  // Gives up on the message. Its pending replies (and theirs) can never go into its thread, so
  // they fail with it, with the error "thread parent could not be sent".
  virtual void mark_failed(std::int64_t id, const std::string& error, SysTime at) = 0;

  // Forgets messages finished (sent or given up on) before `finished_before`, at most `limit` of
  // them, and returns how many: fewer than `limit` means none is left to forget. A message that a
  // remaining one replies to stays (the reply refers to it, and needs its ts while pending), so a
  // thread goes replies first, then its parent. Pending messages stay, however old. An echo can
  // go: its update keeps the ts as its echo_ref.
  virtual std::size_t prune_outbox(SysTime finished_before, std::size_t limit) = 0;

  virtual std::optional<OutboxState> outbox_state(std::int64_t id) = 0;

  virtual std::size_t pending_count() = 0;

 protected:
  ~Outbox() = default;
};

}  // namespace microalign::storage
