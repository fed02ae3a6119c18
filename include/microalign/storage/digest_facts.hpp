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
#include "microalign/storage/store.hpp"

namespace microalign::storage {

// Updates created in (from, to], oldest first, tickets and links included.
std::vector<Update> updates_in_window(Store&, const std::string& team, const std::string& channel,
                                      SysTime from, SysTime to);

// Tickets come as nudges see them: their owner is the one named by hand (`/microalign owner`),
// when there is one, or else the last poster of a status.
//
// The channel's tickets whose latest state is blocked, delayed or at risk, most severe first
// (blocked, delayed, at risk), then longest in that state first. A ticket's channel is where
// it was last talked about; its state and state_since come from all of the team's updates.
std::vector<TicketSnapshot> troubled_tickets(Store&, const std::string& team, const std::string& channel);

// The channel's tickets that are not done (a ticket never given a state is open) and whose
// last update is at or before `quiet_since`, longest quiet first. With quiet_since =
// working_days_before(now, n), these are the tickets quiet for at least n working days.
std::vector<TicketSnapshot> quiet_tickets(Store&, const std::string& team, const std::string& channel,
                                          SysTime quiet_since);

// Assumptions posted in the channel that nobody has answered yet, oldest first.
std::vector<Update> open_assumptions(Store&, const std::string& team, const std::string& channel);

// Every update that named the ticket, newest first.
std::vector<Update> ticket_timeline(Store&, const std::string& team, const std::string& key);

// The ticket's answered assumptions, as in ticket_timeline: each update id with the user whose
// answer came first (the one record_answer kept).
std::map<std::int64_t, std::string> ticket_answers(Store&, const std::string& team, const std::string& key);

// Open assumptions a message could be answering: those whose echo or source message is
// `message_ts` (a reaction on it, or a reply in its thread), or which were themselves posted
// in the thread `message_ts`.
std::vector<Update> open_assumptions_at(Store&, const std::string& team, const std::string& channel,
                                        const std::string& message_ts);

enum class AnswerKind { reply, reaction };
// Marks the assumption answered (idempotent: the first answer is kept). Runs inside a
// transaction (a CommitQueue item); outside one it throws std::logic_error.
void record_answer(Store&, std::int64_t update_id, AnswerKind, const std::string& user, SysTime at);

}  // namespace microalign::storage
