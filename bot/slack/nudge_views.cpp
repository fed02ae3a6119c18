#include "microalign/slack/nudge_views.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "microalign/core/json_fields.hpp"
#include "microalign/core/labels.hpp"
#include "microalign/core/update_form.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/mrkdwn.hpp"

namespace microalign::slack {
namespace {

const std::string state_block(update_form_field::state);
const std::string note_block(update_form_field::note);
// Slack allows 3,000 characters in a text input; an update is a line or two.
constexpr int max_note_chars = 3000;
// A modal's title holds at most 24 characters.
constexpr std::size_t max_title_chars = 24;

nlohmann::json plain_text(const std::string& text) {
  nlohmann::json t;
  t["type"] = "plain_text";
  t["text"] = text;
  return t;
}

nlohmann::json input_block(const std::string& block_id, const std::string& label, nlohmann::json element) {
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
  for (const auto state : update_form_states) {
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

RichText text_of(const nlohmann::json& text_object) { return decode(json_string_member(text_object, "text")); }

std::optional<Block> block_from(const nlohmann::json& block) {
  if (!block.is_object()) return std::nullopt;
  const auto type = json_string_member(block, "type");
  if (type == "section") return Section{text_of(json_object_member(block, "text"))};
  if (type == "divider") return Divider{};
  static const auto no_elements = nlohmann::json::array();
  const auto found = block.find("elements");
  const auto& elements = found == block.end() ? no_elements : *found;
  if (!elements.is_array()) return std::nullopt;
  if (type == "context") {
    RichText text;
    for (const auto& element : elements) {
      const auto part = text_of(element);
      text.insert(text.end(), part.begin(), part.end());
    }
    return Context{std::move(text)};
  }
  if (type != "actions") return std::nullopt;
  Actions actions;
  for (const auto& e : elements) {
    if (json_string_member(e, "type") != "button") return std::nullopt;
    Button b;
    b.label = json_string_member(json_object_member(e, "text"), "text");
    b.action_id = json_string_member(e, "action_id");
    b.value = json_string_member(e, "value");
    const auto style = json_string_member(e, "style");
    b.style = style == "primary" ? Button::Style::primary : style == "danger" ? Button::Style::danger : Button::Style::normal;
    actions.buttons.push_back(std::move(b));
  }
  return actions;
}

}  // namespace

nlohmann::json update_form(const std::string& ticket, const RichText& about_ticket, const std::string& context) {
  const auto title = "Update " + ticket;
  nlohmann::json view;
  view["type"] = "modal";
  view["callback_id"] = update_form_callback_id;
  view["private_metadata"] = context;
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

FormValues form_values(const std::map<std::string, std::string>& values) {
  FormValues form;
  if (const auto state = values.find(state_block); state != values.end()) form.state = state->second;
  if (const auto note = values.find(note_block); note != values.end()) form.note = note->second;
  return form;
}

nlohmann::json form_errors(const std::map<std::string, std::string>& problems) {
  nlohmann::json ack;
  ack["response_action"] = "errors";
  ack["errors"] = nlohmann::json::object();
  for (const auto& [block, message] : problems) ack["errors"][block] = message;
  return ack;
}

std::optional<Message> from_block_kit(const nlohmann::json& blocks) {
  if (!blocks.is_array()) return std::nullopt;
  Message m;
  for (const auto& b : blocks) {
    auto block = block_from(b);
    if (!block) return std::nullopt;
    m.blocks.push_back(std::move(*block));
  }
  return m;
}

}  // namespace microalign::slack
