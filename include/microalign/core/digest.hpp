// The channel digest: what moved, what is stuck, which assumptions nobody answered and which
// tickets went quiet, readable in 30 seconds. Pure: the caller gathers the facts (storage) and
// posts the messages (an adapter); this decides what to say and how to fit it in a message.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "microalign/core/decision.hpp"
#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/ticket_links.hpp"
#include "microalign/core/tracker_activity.hpp"

namespace microalign {

// A ticket as the digest sees it: its summary row and its latest update.
struct TicketSnapshot {
  std::string key;
  std::string owner;                     // user id
  std::optional<TicketState> state;      // latest state stated
  SysTime state_since{};                 // when it entered that state (first of the latest run)
  SysTime last_update_at{};              // its last sign of life: last_update, or tracker activity after it
  Update last_update;                    // for the note, delay, blocker and link (`where` too)
};

// The header's figures; each digest records them so the next one can show the change.
struct DigestCounts {
  int updates = 0;
  int people = 0;
  int tickets_moved = 0;
  int blocked = 0;  // tickets in the channel currently blocked, delayed or at risk
  int quiet = 0;

  bool operator==(const DigestCounts&) const = default;
};

// An owner who said they are away: the last day they are away (included), in their own calendar.
struct OwnerAway {
  std::chrono::year_month_day until;
  std::string time_zone;  // IANA; empty (or unknown) means UTC
};

// The facts come from per-channel queries; still, anything from another channel (an update,
// an assumption, a snapshot by its last update's `where.channel`) is left out, defensively.
struct DigestInput {
  std::string team;
  std::string channel;
  SysTime window_start{};  // the window is (window_start, window_end]
  SysTime window_end{};
  // The channel's IANA time zone: the title's dates and "for 3 days" count its calendar days.
  // Empty (or unknown) means UTC.
  std::string time_zone;
  std::vector<Update> updates;             // this channel's updates in the window, oldest first
  std::vector<TicketSnapshot> troubled;    // this channel's tickets now blocked/delayed/at risk
  std::vector<Update> open_assumptions;    // this channel's unanswered assumptions, oldest first
  std::vector<TicketSnapshot> quiet;       // open tickets past the quiet threshold, oldest first
  int quiet_threshold_days = 3;            // working days, for the section's wording
  // Owners who said they are away, by user id. A quiet ticket whose owner is still away at
  // window_end (on the owner's own date) is not counted as quiet: it is listed apart, with the
  // owner's return. A date already past is ignored.
  std::map<std::string, OwnerAway> away;
  // Keys of quiet tickets that went quiet after a reminder: nudged, not updated since, and still
  // quiet a full quiet period after the nudge (nudge_policy's quiet_after_reminder). They are
  // flagged and listed first among the quiet. A ticket nudged more recently is not named here:
  // a nudge stays between the bot and the owner until then.
  std::set<std::string> reminded;
  // What the trackers did in the window on the channel's tickets, oldest first, each stored under
  // one ticket (tickets = {key}): one line per ticket ("3 commits, PR #9 merged").
  std::vector<TrackerActivity> tracker_activity;
  std::optional<DigestCounts> previous;    // the last digest's figures, for "(+1)" deltas
  std::map<std::string, std::string> names;  // user id → display name: named, never pinged
  std::function<std::string(const Update&)> link_to;  // permalink to an update's echo, or ""
  std::vector<Decision> decisions;                    // this channel's decisions in the window, oldest first
};

struct Digest {
  DigestCounts counts;
  // The first message is posted to the channel. When threaded, the others are replies in its
  // thread; otherwise they are continuation messages, posted in order after it.
  std::vector<Message> messages;
  bool threaded = false;

  // Nothing new and nothing quiet: no digest is posted at all (`counts` are still filled in).
  bool empty() const { return messages.empty(); }
};

struct DigestOptions {
  bool threaded = false;     // a short summary on top, the long sections in its thread
  int items_per_section = 8;  // longer sections end with "+N more" (at least 1 is shown)
  // The platform's limits, with a margin: Slack's Block Kit takes 50 blocks a message and 3,000
  // characters a section.
  int max_blocks = 45;                   // blocks per message
  std::size_t max_section_bytes = 2500;  // rendered bytes per section
  TrackerHomes ticket_links{};           // where Jira and Linear keys link
};

// The header (figures with their changes), then the sections that have something to say, in
// this order: blocked/delayed/at risk, open assumptions, moved, in the trackers, gone quiet, quiet
// with the owner away, done, decisions, heads-ups and questions. Quiet tickets of away owners alone
// make no digest; a decision in the window alone does. People are named, never pinged; people's
// text only ever enters plain spans. Each message stays within the options' blocks and each
// section block within their rendered bytes; a long digest goes on in further messages, never
// cutting a line. O(n log n) in the window's updates.
Digest build_digest(const DigestInput&, const DigestOptions&);

// The digest as plain text, for `microalign digest` and for logs.
std::string to_text(const Digest&);

}  // namespace microalign
