// The decisions people see outside their echo: `/microalign decisions` (a private listing) and the
// decisions naming a ticket, added to its timeline. People are named, never pinged. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "microalign/core/decision.hpp"
#include "microalign/core/message.hpp"
#include "microalign/core/spelling.hpp"

namespace microalign {

// `decisions` oldest first; `period` says which ones ("in the last 7 days", "since 1 Nov 2026").
// Newest first, the latest 20 at most; a superseded one says by which.
Message render_decision_list(const std::vector<Decision>& decisions, const std::string& period,
                             const std::map<std::string, std::string>& names, const CommandSpelling&);

// Adds the ticket's decisions (newest first) to its timeline as a section of their own; a
// superseded one is marked and points to its successor. Adds nothing when there are none.
void add_decisions_to_timeline(Message& timeline, const std::vector<Decision>& decisions,
                               const std::map<std::string, std::string>& names);

}  // namespace microalign
