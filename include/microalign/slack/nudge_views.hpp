// The Slack side of a nudge DM's buttons: the "post an update" form (a modal), what the form
// carries between the click and its submission, and rewriting the DM in place once a ticket is
// answered. Pure.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <map>
#include <optional>
#include <string>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/nudge_message.hpp"

namespace microalign::slack {

// The form's callback_id: a view_submission with another one is not ours.
inline constexpr const char* update_form_callback_id = "nudge.update_form";

// What the form remembers (its private_metadata): the ticket, and the DM to rewrite afterwards.
struct UpdateFormContext {
  NudgeButtonValue ticket;
  std::string dm_channel;
  std::string dm_ts;

  bool operator==(const UpdateFormContext&) const = default;
};
std::string encode_form_context(const UpdateFormContext&);
std::optional<UpdateFormContext> decode_form_context(const std::string& private_metadata);

// The modal for views.open: the ticket and where it is discussed, an optional state picker and
// a text box for what is new.
nlohmann::json update_form(const UpdateFormContext&, const RichText& about_ticket);

// What was filled in; nullopt with `problem` (block id → message for the form) when there is
// nothing to post.
struct UpdateFormInput {
  std::optional<TicketState> state;
  std::string note;
};
std::optional<UpdateFormInput> read_update_form(const std::map<std::string, std::string>& values,
                                                std::map<std::string, std::string>& problem);

// The view_submission ack that shows `problem` under the form's fields.
nlohmann::json form_errors(const std::map<std::string, std::string>& problem);

// In the DM's blocks (a JSON array), replaces the actions block holding a button with `value`
// by `outcome` (a context line); false when no block holds one (already answered).
bool answer_in_place(nlohmann::json& blocks, const std::string& value, const RichText& outcome);

}  // namespace microalign::slack
