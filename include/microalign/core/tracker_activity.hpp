// What the trackers (GitHub, Jira, Linear) tell us about tickets: one webhook delivery decoded
// into the tickets it names and what happened to them. A ticket is quiet only when both chat and
// its trackers have been silent; a ticket closed or merged in its tracker counts as done.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/model.hpp"

namespace microalign {

enum class Tracker { github, jira, linear };

// What happened, as the digest words it. `closed` and `merged` make the tickets done; `reopened`
// opens a ticket the tracker had made done.
enum class TrackerAction { opened, commented, pushed, reviewed, state_changed, assigned, closed, merged, reopened };

std::string_view to_string(Tracker);
std::string_view to_string(TrackerAction);
std::optional<Tracker> tracker_from_string(std::string_view);
std::optional<TrackerAction> tracker_action_from_string(std::string_view);

// Whether the action makes its tickets done: closed or merged in the tracker.
bool closes_ticket(TrackerAction);
// Whether it opens a ticket the tracker had made done: reopened, or moved to a state that is not
// done (Jira and Linear say only the new state; a state in their done category arrives as closed).
// A state said in chat after the activity stands either way.
bool reopens_ticket(TrackerAction);

// One delivery, decoded. Everything but `tracker`, `delivery_id`, `action` and `at` may be empty.
struct TrackerActivity {
  Tracker tracker = Tracker::github;
  std::string delivery_id;           // the tracker's id for this delivery: a replay is stored once
  TrackerAction action = TrackerAction::commented;
  SysTime at{};                      // when it happened (the tracker's time, else when received)
  std::vector<std::string> tickets;  // canonical keys, as find_tickets spells them: "ENG-42", "acme/web#12"
  std::string actor;                 // the tracker's name for who did it ("octocat")
  std::string item;                  // what it happened to, short: "PR #9", "acme/web#12", "ENG-42"
  std::string url;                   // a link to that item, when the payload gives one
  std::string detail;                // the new state for state_changed ("In Review"); a review's
                                     // verdict for reviewed ("approved", "changes requested"); else empty
  int commits = 0;                   // for pushed: how many commits
};

}  // namespace microalign
