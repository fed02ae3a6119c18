// The words and emoji people see for update kinds and ticket states. The channel echo and the
// digest both use them, so a state reads the same wherever the bot shows it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/model.hpp"

namespace microalign {

// "📍 Status", "🤔 Assumption (open)"…: as an update is posted, so an assumption is open.
std::string_view kind_label(UpdateKind);
// The kind alone, "🤔 Assumption" without "(open)": for where an assumption may be answered.
std::string_view kind_name(UpdateKind);

// "🟢 on track", "🟠 delayed +2d", "🔴 blocked on OPS-7 review": the state with the details
// the update gave. `blocked_on` is user text, so the result belongs in a plain span only.
std::string state_label(TicketState, std::optional<int> delay_days = std::nullopt,
                        std::string_view blocked_on = {});

// The state an update stated (it must state one), with its delay and its blocker cut to fit a line.
std::string stated_state_label(const ParsedUpdate&);
// A ticket's current state, with those details when `last`, its latest update, is the one that
// stated it (a later update without a state keeps the state but not the old details).
std::string current_state_label(TicketState current, const ParsedUpdate& last);

}  // namespace microalign
