// The queries behind digests, ticket timelines and assumption answers. Every query is scoped to
// one team and channel: updates from another channel never leak into a digest. Updates come
// whole (tickets and links included); "oldest first" is the order they were stored in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "microalign/core/digest.hpp"

namespace microalign::storage {

enum class AnswerKind { reply, reaction };

// The reads behind digests, timelines and answers to assumptions.
class DigestFacts {
 public:
  // Updates created in (from, to], oldest first, tickets and links included.
  virtual std::vector<Update> updates_in_window(const std::string& team, const std::string& channel, SysTime from,
                                                SysTime to) = 0;

  // Tickets come as nudges see them: their owner is the one named by hand (`/microalign owner`),
  // when there is one, or else the last poster of a status.
  //
  // The channel's tickets whose latest state is blocked, delayed or at risk, most severe first
  // (blocked, delayed, at risk), then longest in that state first. A ticket's channel is where
  // it was last talked about; its state and state_since come from all of the team's updates.
  virtual std::vector<TicketSnapshot> troubled_tickets(const std::string& team, const std::string& channel) = 0;

  // The channel's tickets that are not done (a ticket never given a state is open) and whose
  // last update is at or before `quiet_since`, longest quiet first. With quiet_since =
  // working_days_before(now, n), these are the tickets quiet for at least n working days.
  virtual std::vector<TicketSnapshot> quiet_tickets(const std::string& team, const std::string& channel,
                                                    SysTime quiet_since) = 0;

  // Assumptions posted in the channel that nobody has answered yet, oldest first.
  virtual std::vector<Update> open_assumptions(const std::string& team, const std::string& channel) = 0;

  // Every update that named the ticket, newest first.
  virtual std::vector<Update> ticket_timeline(const std::string& team, const std::string& key) = 0;

  // The ticket's answered assumptions, as in ticket_timeline: each update id with the user whose
  // answer came first (the one record_answer kept).
  virtual std::map<std::int64_t, std::string> ticket_answers(const std::string& team, const std::string& key) = 0;

  // Open assumptions a message could be answering: those whose echo or source message is
  // `message_ts` (a reaction on it, or a reply in its thread), or which were themselves posted
  // in the thread `message_ts`.
  virtual std::vector<Update> open_assumptions_at(const std::string& team, const std::string& channel,
                                                  const std::string& message_ts) = 0;

  // Marks the assumption answered (idempotent: the first answer is kept). Runs inside a
  // transaction (a CommitQueue item); outside one it throws std::logic_error.
  virtual void record_answer(std::int64_t update_id, AnswerKind, const std::string& user, SysTime at) = 0;

 protected:
  ~DigestFacts() = default;
};

}  // namespace microalign::storage
