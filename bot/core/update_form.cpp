#include "microalign/core/update_form.hpp"

#include <nlohmann/json.hpp>

#include "microalign/core/json_fields.hpp"
#include "microalign/core/outside_json.hpp"

namespace microalign {

std::string encode_form_context(const UpdateFormContext& c) {
  nlohmann::json j;
  j["ticket"] = encode_nudge_button(c.ticket);
  // (The names are those of the first version: forms open across an upgrade still read.)
  j["dm_channel"] = c.dm_conversation;
  j["dm_ts"] = c.dm_ref;
  return j.dump();
}

std::optional<UpdateFormContext> decode_form_context(std::string_view encoded) {
  // Written by us, but it comes back through Slack or Teams: read as anything from outside.
  const auto j = read_outside_json(encoded).value;
  if (!j.is_object()) return std::nullopt;
  const auto field = [&](const char* name) { return json_string_member(j, name); };
  auto ticket = decode_nudge_button(field("ticket"));
  if (!ticket) return std::nullopt;
  UpdateFormContext c;
  c.ticket = std::move(*ticket);
  c.dm_conversation = field("dm_channel");
  c.dm_ref = field("dm_ts");
  return c;
}

std::optional<UpdateFormInput> read_update_form(const std::string& picked_state, const std::string& note,
                                                std::map<std::string, std::string>& problems) {
  UpdateFormInput input;
  if (!picked_state.empty()) {
    input.state = ticket_state_from_string(picked_state);
    if (!input.state) {
      problems[std::string(update_form_field::state)] = "Please pick one of the states in the list.";
      return std::nullopt;
    }
  }
  input.note = note;
  if (!input.state && input.note.find_first_not_of(" \t\r\n") == std::string::npos) {
    problems[std::string(update_form_field::note)] = "Write a line about where things are, or pick a state.";
    return std::nullopt;
  }
  return input;
}

}  // namespace microalign
