// The "post an update" form a nudge DM's button opens: what it carries from its opening to its
// submission, and reading what was filled in. Pure; each platform's adapter draws the form (a
// Slack modal, an Adaptive Card) with these field ids and hands back what was entered.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/model.hpp"
#include "microalign/core/nudge_message.hpp"

namespace microalign {

// The form's fields, by id: a state picked from the list (its value is the state's name, as
// to_string(TicketState) gives it), and a note.
namespace update_form_field {
inline constexpr std::string_view state = "state";
inline constexpr std::string_view note = "note";
}  // namespace update_form_field

// The states the form's list offers, in its order (each platform draws the same list).
inline constexpr std::array update_form_states{TicketState::on_track, TicketState::at_risk, TicketState::delayed,
                                               TicketState::blocked, TicketState::done};

// What the form carries: the ticket (as its button did), and the DM to rewrite afterwards.
struct UpdateFormContext {
  NudgeButtonValue ticket;
  std::string dm_conversation;
  std::string dm_ref;

  bool operator==(const UpdateFormContext&) const = default;
};
std::string encode_form_context(const UpdateFormContext&);
// nullopt for anything not made by encode_form_context (another app's form, a tampered one).
std::optional<UpdateFormContext> decode_form_context(std::string_view);

struct UpdateFormInput {
  std::optional<TicketState> state;
  std::string note;
};

// What was filled in; nullopt with `problems` (field id → what to say under it) when there is
// nothing to post or the state is not one of the list's.
std::optional<UpdateFormInput> read_update_form(const std::string& picked_state, const std::string& note,
                                                std::map<std::string, std::string>& problems);

}  // namespace microalign
