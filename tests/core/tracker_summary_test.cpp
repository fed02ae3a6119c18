#include <catch2/catch.hpp>

#include "microalign/core/tracker_summary.hpp"

using namespace microalign;

namespace {

TrackerActivity did(TrackerAction action, std::string item = "PR #9", int commits = 0, std::string detail = {}) {
  TrackerActivity a;
  a.tracker = Tracker::github;
  a.action = action;
  a.item = std::move(item);
  a.commits = commits;
  a.detail = std::move(detail);
  a.actor = "octocat";
  a.tickets = {"ENG-42"};
  return a;
}

}  // namespace

TEST_CASE("a ticket's tracker activity in one line: counts first, then what happened, in order", "[trackers]") {
  CHECK(summarize_tracker_activity({did(TrackerAction::pushed, "PR #9", 2), did(TrackerAction::pushed, "PR #9", 1),
                                    did(TrackerAction::merged)}) == "3 commits, PR #9 merged");
  CHECK(summarize_tracker_activity({did(TrackerAction::opened), did(TrackerAction::commented),
                                    did(TrackerAction::reviewed), did(TrackerAction::commented),
                                    did(TrackerAction::pushed, "PR #9", 1)}) ==
        "1 commit, 2 comments, 1 review, PR #9 opened");
  CHECK(summarize_tracker_activity({did(TrackerAction::state_changed, "ENG-42", 0, "In Review"),
                                    did(TrackerAction::closed, "ENG-42"),
                                    did(TrackerAction::state_changed, "ENG-42", 0, "In Review")}) ==
        "ENG-42 closed, ENG-42 moved to In Review");
  CHECK(summarize_tracker_activity({did(TrackerAction::pushed)}) == "1 push");
  // A review's verdict is said, the last one last; reviews that only comment are counted.
  CHECK(summarize_tracker_activity({did(TrackerAction::reviewed, "PR #9", 0, "changes requested"),
                                    did(TrackerAction::reviewed), did(TrackerAction::pushed, "PR #9", 1),
                                    did(TrackerAction::reviewed, "PR #9", 0, "approved")}) ==
        "1 commit, 1 review, changes requested on PR #9, PR #9 approved");
  CHECK(summarize_tracker_activity({}).empty());
}

TEST_CASE("one tracker event in words, with the tracker and who did it", "[trackers]") {
  CHECK(describe_tracker_activity(did(TrackerAction::merged)) == "GitHub: PR #9 merged by octocat");
  auto moved = did(TrackerAction::state_changed, "ENG-42", 0, "In Review");
  moved.tracker = Tracker::jira;
  moved.actor = "Ana";
  CHECK(describe_tracker_activity(moved) == "Jira: ENG-42 moved to In Review by Ana");
  auto pushed = did(TrackerAction::pushed, "acme/web", 4);
  pushed.actor.clear();
  CHECK(describe_tracker_activity(pushed) == "GitHub: 4 commits to acme/web");
  auto nameless = did(TrackerAction::commented, "");
  nameless.tracker = Tracker::linear;
  CHECK(describe_tracker_activity(nameless) == "Linear: comment on ENG-42 by octocat");
  CHECK(describe_tracker_activity(did(TrackerAction::reviewed, "PR #9", 0, "approved")) ==
        "GitHub: PR #9 approved by octocat");
  CHECK(describe_tracker_activity(did(TrackerAction::reviewed, "PR #9", 0, "changes requested")) ==
        "GitHub: changes requested on PR #9 by octocat");
  CHECK(describe_tracker_activity(did(TrackerAction::reviewed)) == "GitHub: PR #9 reviewed by octocat");
}

TEST_CASE("closed and merged make a ticket done, reopened and a state that is not done open it", "[trackers]") {
  for (const auto action : {TrackerAction::closed, TrackerAction::merged}) {
    CHECK(closes_ticket(action));
    CHECK_FALSE(reopens_ticket(action));
  }
  for (const auto action : {TrackerAction::reopened, TrackerAction::state_changed}) {
    CHECK(reopens_ticket(action));
    CHECK_FALSE(closes_ticket(action));
  }
  for (const auto action : {TrackerAction::opened, TrackerAction::commented, TrackerAction::pushed,
                            TrackerAction::reviewed, TrackerAction::assigned}) {
    CHECK_FALSE(closes_ticket(action));
    CHECK_FALSE(reopens_ticket(action));
  }
}
