#include "microalign/slack/nudge_views.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "microalign/core/labels.hpp"
#include "microalign/slack/block_kit.hpp"

namespace microalign::slack {
namespace {

constexpr const char* state_block = "state";
constexpr const char* note_block = "note";
// Slack allows 3,000 characters in a text input; an update is a line or two.
constexpr int max_note_chars = 3000;
// A modal's title holds at most 24 characters.
constexpr std::size_t max_title_chars = 24;

constexpr std::array form_states{TicketState::on_track, TicketState::at_risk, TicketState::delayed,
                                 TicketState::blocked, TicketState::done};

nlohmann::json plain_text(const std::string& text) {
  nlohmann::json t;
  t["type"] = "plain_text";
  t["text"] = text;
  return t;
}

nlohmann::json input_block(const char* block_id, const std::string& label, nlohmann::json element) {
  nlohmann::json block;
  block["type"] = "input";
  block["block_id"] = block_id;
  block["optional"] = true;
  block["label"] = plain_text(label);
  element["action_id"] = block_id;
  block["element"] = std::move(element);
  return block;
}

nlohmann::json state_picker() {
  nlohmann::json select;
  select["type"] = "static_select";
  select["placeholder"] = plain_text("Unchanged");
  select["options"] = nlohmann::json::array();
  for (const auto state : form_states) {
    nlohmann::json option;
    option["text"] = plain_text(state_label(state));
    option["value"] = std::string(to_string(state));
    select["options"].push_back(std::move(option));
  }
  return input_block(state_block, "State", std::move(select));
}

nlohmann::json note_box() {
  nlohmann::json text;
  text["type"] = "plain_text_input";
  text["multiline"] = true;
  text["max_length"] = max_note_chars;
  text["placeholder"] = plain_text("Draft PR up, review tomorrow — or what is in the way");
  return input_block(note_block, "What's new?", std::move(text));
}

bool holds_button_value(const nlohmann::json& block, const std::string& value) {
  if (!block.is_object() || block.value("type", "") != "actions") return false;
  const auto elements = block.find("elements");
  if (elements == block.end() || !elements->is_array()) return false;
  for (const auto& element : *elements) {
    if (element.is_object() && element.value("value", "") == value) return true;
  }
  return false;
}

}  // namespace

std::string encode_form_context(const UpdateFormContext& c) {
  nlohmann::json j;
  j["ticket"] = encode_nudge_button(c.ticket);
  j["dm_channel"] = c.dm_channel;
  j["dm_ts"] = c.dm_ts;
  return j.dump();
}

std::optional<UpdateFormContext> decode_form_context(const std::string& private_metadata) {
  const auto j = nlohmann::json::parse(private_metadata, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  const auto field = [&](const char* name) {
    const auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
  };
  auto ticket = decode_nudge_button(field("ticket"));
  if (!ticket) return std::nullopt;
  UpdateFormContext c;
  c.ticket = std::move(*ticket);
  c.dm_channel = field("dm_channel");
  c.dm_ts = field("dm_ts");
  return c;
}

nlohmann::json update_form(const UpdateFormContext& context, const RichText& about_ticket) {
  const auto title = "Update " + context.ticket.key;
  nlohmann::json view;
  view["type"] = "modal";
  view["callback_id"] = update_form_callback_id;
  view["private_metadata"] = encode_form_context(context);
  view["title"] = plain_text(title.size() <= max_title_chars ? title : "Post an update");
  view["submit"] = plain_text("Post");
  view["close"] = plain_text("Cancel");
  Message intro;
  intro.blocks.emplace_back(Section{about_ticket});
  view["blocks"] = to_block_kit(intro)["blocks"];
  view["blocks"].push_back(state_picker());
  view["blocks"].push_back(note_box());
  return view;
}

std::optional<UpdateFormInput> read_update_form(const std::map<std::string, std::string>& values,
                                                std::map<std::string, std::string>& problem) {
  UpdateFormInput input;
  if (auto state = values.find(state_block); state != values.end()) {
    input.state = ticket_state_from_string(state->second);
    if (!input.state) {
      problem[state_block] = "Please pick one of the states in the list.";
      return std::nullopt;
    }
  }
  if (auto note = values.find(note_block); note != values.end()) input.note = note->second;
  if (!input.state && input.note.find_first_not_of(" \t\r\n") == std::string::npos) {
    problem[note_block] = "Write a line about where things are, or pick a state.";
    return std::nullopt;
  }
  return input;
}

nlohmann::json form_errors(const std::map<std::string, std::string>& problem) {
  nlohmann::json ack;
  ack["response_action"] = "errors";
  ack["errors"] = nlohmann::json::object();
  for (const auto& [block, message] : problem) ack["errors"][block] = message;
  return ack;
}

bool answer_in_place(nlohmann::json& blocks, const std::string& value, const RichText& outcome) {
  if (!blocks.is_array()) return false;
  for (auto& block : blocks) {
    if (!holds_button_value(block, value)) continue;
    Message line;
    line.blocks.emplace_back(Context{outcome});
    block = to_block_kit(line)["blocks"].at(0);
    return true;
  }
  return false;
}

}  // namespace microalign::slack
