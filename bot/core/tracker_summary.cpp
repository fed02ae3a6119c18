#include "microalign/core/tracker_summary.hpp"

#include <algorithm>

#include "microalign/core/text.hpp"

namespace microalign {
namespace {

std::string tracker_label(Tracker t) {
  switch (t) {
    case Tracker::github:
      return "GitHub";
    case Tracker::jira:
      return "Jira";
    case Tracker::linear:
      return "Linear";
  }
  return "a tracker";
}

// What happened to the item, without who did it: "PR #9 merged", "moved to In Review".
std::string event_phrase(const TrackerActivity& a) {
  const std::string item = a.item.empty() ? (a.tickets.empty() ? "it" : a.tickets.front()) : a.item;
  switch (a.action) {
    case TrackerAction::opened:
      return item + " opened";
    case TrackerAction::commented:
      return "comment on " + item;
    case TrackerAction::pushed:
      return (a.commits > 0 ? count_of(a.commits, "commit", "commits") : std::string("push")) + " to " + item;
    case TrackerAction::reviewed:
      if (a.detail == "changes requested") return "changes requested on " + item;
      return item + (a.detail.empty() ? " reviewed" : " " + a.detail);
    case TrackerAction::state_changed:
      return item + (a.detail.empty() ? " changed state" : " moved to " + a.detail);
    case TrackerAction::assigned:
      return item + " assigned";
    case TrackerAction::closed:
      return item + " closed";
    case TrackerAction::merged:
      return item + " merged";
    case TrackerAction::reopened:
      return item + " reopened";
  }
  return item + " changed";
}

}  // namespace

std::string summarize_tracker_activity(const std::vector<TrackerActivity>& oldest_first) {
  int commits = 0;
  int pushes_without_count = 0;
  int comments = 0;
  int reviews = 0;
  std::vector<std::string> events;
  for (const auto& a : oldest_first) {
    switch (a.action) {
      case TrackerAction::pushed:
        commits += a.commits;
        if (a.commits == 0) ++pushes_without_count;
        break;
      case TrackerAction::commented:
        ++comments;
        break;
      case TrackerAction::reviewed:
        if (a.detail.empty()) {  // a review that only comments counts; a verdict is said
          ++reviews;
          break;
        }
        [[fallthrough]];
      default: {
        auto phrase = event_phrase(a);
        // Said once, where it last happened: "moved to In Review" twice reads as once.
        std::erase(events, phrase);
        events.push_back(std::move(phrase));
      }
    }
  }
  std::vector<std::string> parts;
  if (commits > 0) parts.push_back(count_of(commits, "commit", "commits"));
  if (pushes_without_count > 0) parts.push_back(count_of(pushes_without_count, "push", "pushes"));
  if (comments > 0) parts.push_back(count_of(comments, "comment", "comments"));
  if (reviews > 0) parts.push_back(count_of(reviews, "review", "reviews"));
  parts.insert(parts.end(), events.begin(), events.end());
  std::string line;
  for (const auto& part : parts) line += (line.empty() ? "" : ", ") + part;
  return line;
}

std::string describe_tracker_activity(const TrackerActivity& a) {
  std::string line = tracker_label(a.tracker) + ": " + event_phrase(a);
  if (!a.actor.empty()) line += " by " + a.actor;
  return line;
}

}  // namespace microalign
