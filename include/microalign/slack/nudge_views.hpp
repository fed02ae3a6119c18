// The Slack side of a nudge DM's buttons: the "post an update" form as a modal, reading what
// was typed in it, and reading back a DM as Slack shows it (blocks we rendered) into a Message.
// Pure.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "microalign/core/message.hpp"

namespace microalign::slack {

// The form's callback_id: a view_submission with another one is not ours.
inline constexpr const char* update_form_callback_id = "nudge.update_form";

// The modal for views.open: the ticket and where it is discussed, an optional state picker and
// a text box for what is new; `context` travels in its private_metadata.
nlohmann::json update_form(const std::string& ticket, const RichText& about_ticket, const std::string& context);

// What a view_submission's inputs hold, by the form's field ids (update_form.hpp): the picked
// state's value and the note, each "" when left empty.
struct FormValues {
  std::string state;
  std::string note;
};
FormValues form_values(const std::map<std::string, std::string>& values_by_block);

// The view_submission acknowledgement that shows `problems` under the form's fields.
nlohmann::json form_errors(const std::map<std::string, std::string>& problems);

// A message as Slack shows it, from blocks of the kinds to_block_kit makes (section, context,
// divider, actions with buttons); mrkdwn is read back as text, links and people. nullopt when
// the blocks hold anything else.
std::optional<Message> from_block_kit(const nlohmann::json& blocks);

}  // namespace microalign::slack
