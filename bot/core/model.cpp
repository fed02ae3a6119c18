#include "microalign/core/model.hpp"

#include "microalign/core/tracker_activity.hpp"

#include <array>
#include <utility>

namespace microalign {
namespace {

// One table per enum, so the names used on the wire, in the database and in exports agree.
constexpr std::array kind_names{
    std::pair{UpdateKind::heads_up, std::string_view{"heads_up"}},
    std::pair{UpdateKind::status, std::string_view{"status"}},
    std::pair{UpdateKind::assumption, std::string_view{"assumption"}},
    std::pair{UpdateKind::question, std::string_view{"question"}},
};
constexpr std::array state_names{
    std::pair{TicketState::on_track, std::string_view{"on_track"}},
    std::pair{TicketState::at_risk, std::string_view{"at_risk"}},
    std::pair{TicketState::delayed, std::string_view{"delayed"}},
    std::pair{TicketState::blocked, std::string_view{"blocked"}},
    std::pair{TicketState::done, std::string_view{"done"}},
};
constexpr std::array source_names{
    std::pair{UpdateSource::slash, std::string_view{"slash"}},
    std::pair{UpdateSource::mention, std::string_view{"mention"}},
};
constexpr std::array tracker_names{
    std::pair{Tracker::github, std::string_view{"github"}},
    std::pair{Tracker::jira, std::string_view{"jira"}},
    std::pair{Tracker::linear, std::string_view{"linear"}},
};
constexpr std::array tracker_action_names{
    std::pair{TrackerAction::opened, std::string_view{"opened"}},
    std::pair{TrackerAction::commented, std::string_view{"commented"}},
    std::pair{TrackerAction::pushed, std::string_view{"pushed"}},
    std::pair{TrackerAction::reviewed, std::string_view{"reviewed"}},
    std::pair{TrackerAction::state_changed, std::string_view{"state_changed"}},
    std::pair{TrackerAction::assigned, std::string_view{"assigned"}},
    std::pair{TrackerAction::closed, std::string_view{"closed"}},
    std::pair{TrackerAction::merged, std::string_view{"merged"}},
    std::pair{TrackerAction::reopened, std::string_view{"reopened"}},
};

template <typename Table, typename Enum>
std::string_view name_of(const Table& table, Enum value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename Enum, typename Table>
std::optional<Enum> value_of(const Table& table, std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(UpdateKind k) { return name_of(kind_names, k); }
std::string_view to_string(TicketState s) { return name_of(state_names, s); }
std::string_view to_string(UpdateSource s) { return name_of(source_names, s); }

std::optional<UpdateKind> update_kind_from_string(std::string_view n) {
  return value_of<UpdateKind>(kind_names, n);
}
std::optional<TicketState> ticket_state_from_string(std::string_view n) {
  return value_of<TicketState>(state_names, n);
}
std::optional<UpdateSource> update_source_from_string(std::string_view n) {
  return value_of<UpdateSource>(source_names, n);
}

std::string_view to_string(Tracker t) { return name_of(tracker_names, t); }
std::string_view to_string(TrackerAction a) { return name_of(tracker_action_names, a); }
std::optional<Tracker> tracker_from_string(std::string_view n) { return value_of<Tracker>(tracker_names, n); }
std::optional<TrackerAction> tracker_action_from_string(std::string_view n) {
  return value_of<TrackerAction>(tracker_action_names, n);
}

bool closes_ticket(TrackerAction a) { return a == TrackerAction::closed || a == TrackerAction::merged; }

bool reopens_ticket(TrackerAction a) { return a == TrackerAction::reopened || a == TrackerAction::state_changed; }

}  // namespace microalign
