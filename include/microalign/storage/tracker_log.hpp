// What the trackers (GitHub, Jira, Linear) said happened to tickets, kept beside what people said:
// it makes a ticket count as active (quiet means quiet in chat and in the trackers) and shows in
// digests and ticket timelines. A tracker's ticket key is the same in every team that names it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "microalign/core/tracker_activity.hpp"

namespace microalign::storage {

class TrackerLog {
 public:
  // Stores the delivery once for each ticket it names: false, writing nothing, when this
  // tracker's delivery id was stored before (a replay). In every team whose ticket has one of
  // those keys, the ticket counts as active at `activity.at` (its last activity never moves
  // back); `closed` and `merged` make it done, `reopened` and `state_changed` (to a state that is
  // not done) open one that was done — unless a state was stated after `activity.at`. Inside a transaction, like every
  // write.
  virtual bool record_tracker_activity(const TrackerActivity&) = 0;

  // The ticket's activity, newest first, at most `limit` deliveries; each with tickets = {key}.
  virtual std::vector<TrackerActivity> ticket_tracker_activity(const std::string& key, std::size_t limit) = 0;

  // The activity in (from, to] on the tickets last talked about in the team's channel, oldest
  // first; each with tickets = {the one key it is stored under}.
  virtual std::vector<TrackerActivity> tracker_activity_in_window(const std::string& team, const std::string& channel,
                                                                  SysTime from, SysTime to) = 0;

 protected:
  ~TrackerLog() = default;
};

}  // namespace microalign::storage
