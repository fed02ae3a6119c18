// Tracker activity in words, for digests ("3 commits, PR #9 merged": one line per ticket) and
// ticket timelines ("PR #9 merged by octocat": one line per delivery).
#pragma once

#include <string>
#include <vector>

#include "microalign/core/tracker_activity.hpp"

namespace microalign {

// One ticket's activity, oldest first, in one line: the counts first (commits, comments,
// reviews), then what happened to the items in the order it happened ("PR #9 opened",
// "moved to In Review", "PR #9 merged"), each said once. Empty for no activity.
std::string summarize_tracker_activity(const std::vector<TrackerActivity>& oldest_first);

// One delivery: "GitHub: PR #9 merged by octocat", "Jira: ENG-42 moved to In Review by Ana".
std::string describe_tracker_activity(const TrackerActivity&);

}  // namespace microalign
