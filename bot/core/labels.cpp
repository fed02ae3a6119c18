#include "microalign/core/labels.hpp"

#include "microalign/core/text.hpp"

namespace microalign {
namespace {

// A blocker is people's text: a line shows this much of it.
constexpr std::size_t blocker_chars = 60;

}  // namespace

std::string_view kind_label(UpdateKind k) {
  return k == UpdateKind::assumption ? "🤔 Assumption (open)" : kind_name(k);
}

std::string_view kind_name(UpdateKind k) {
  switch (k) {
    case UpdateKind::heads_up: return "📣 Heads-up";
    case UpdateKind::status: return "📍 Status";
    case UpdateKind::assumption: return "🤔 Assumption";
    case UpdateKind::question: return "❓ Question";
  }
  return "Update";
}

std::string state_label(TicketState state, std::optional<int> delay_days,
                        std::string_view blocked_on) {
  switch (state) {
    case TicketState::on_track: return "🟢 on track";
    case TicketState::at_risk: return "🟡 at risk";
    case TicketState::delayed:
      return delay_days ? "🟠 delayed +" + std::to_string(*delay_days) + "d" : "🟠 delayed";
    case TicketState::blocked:
      return blocked_on.empty() ? "🔴 blocked" : "🔴 blocked on " + std::string(blocked_on);
    case TicketState::done: return "✅ done";
  }
  return {};
}

std::string stated_state_label(const ParsedUpdate& p) {
  return state_label(*p.state, p.delay_days, shortened(p.blocked_on, blocker_chars));
}

std::string current_state_label(TicketState current, const ParsedUpdate& last) {
  return last.state == current ? stated_state_label(last) : state_label(current);
}

}  // namespace microalign
