// A ticket's timeline for `/microalign ticket ENG-42`: every update and tracker event, newest first.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/tracker_activity.hpp"

namespace microalign {

// `updates` and `tracker_activity` (what the trackers did with the ticket) newest first,
// interleaved by time. `answered_by`: the answered assumptions' update ids, each with who answered
// first; every other assumption shows open. People are named, never pinged.
Message render_timeline(const std::string& key, const std::vector<Update>& updates,
                        const std::vector<TrackerActivity>& tracker_activity,
                        const std::map<std::int64_t, std::string>& answered_by,
                        const std::map<std::string, std::string>& names,
                        const std::function<std::string(const Update&)>& link_to);

}  // namespace microalign
