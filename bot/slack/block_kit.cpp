#include "microalign/slack/block_kit.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "microalign/core/text.hpp"
#include "microalign/slack/mrkdwn.hpp"

namespace microalign::slack {
namespace {

using nlohmann::json;

// Block Kit's published limits. Slack counts text limits in characters; we count bytes, which are
// never fewer, so staying within them in bytes stays within them in characters.
constexpr std::size_t max_blocks = 50;
constexpr std::size_t max_text_object_bytes = 3000;
constexpr std::size_t max_fallback_bytes = 40000;
constexpr std::size_t max_buttons = 25;
constexpr std::size_t max_button_label_bytes = 75;

std::optional<json> mrkdwn_text(const RichText& text) {
  auto rendered = render(text, max_text_object_bytes);
  if (rendered.empty()) return std::nullopt;
  // verbatim: Slack must not turn plain words into links or mentions ("@channel" typed as text
  // stays text); every link and mention we mean is already explicit markup.
  return json{{"type", "mrkdwn"}, {"text", std::move(rendered)}, {"verbatim", true}};
}

std::optional<json> block_json(const Section& section) {
  auto text = mrkdwn_text(section.text);
  if (!text) return std::nullopt;
  return json{{"type", "section"}, {"text", std::move(*text)}};
}

std::optional<json> block_json(const Context& context) {
  auto text = mrkdwn_text(context.text);
  if (!text) return std::nullopt;
  return json{{"type", "context"}, {"elements", json::array({std::move(*text)})}};
}

std::optional<json> block_json(const Divider&) { return json{{"type", "divider"}}; }

json button_json(const Button& button) {
  json out{{"type", "button"},
           {"text",
            {{"type", "plain_text"},
             {"text", sanitize_utf8(button.label, max_button_label_bytes)},
             {"emoji", true}}},
           // Ids and values round-trip back to us, so they are never cut, only made serialisable.
           {"action_id", sanitize_utf8(button.action_id)}};
  if (!button.value.empty()) out["value"] = sanitize_utf8(button.value);
  switch (button.style) {
    case Button::Style::primary: out["style"] = "primary"; break;
    case Button::Style::danger: out["style"] = "danger"; break;
    case Button::Style::normal: break;
  }
  return out;
}

std::optional<json> block_json(const Actions& actions) {
  if (actions.buttons.empty()) return std::nullopt;
  json elements = json::array();
  for (const auto& button : actions.buttons) {
    if (elements.size() == max_buttons) break;
    elements.push_back(button_json(button));
  }
  return json{{"type", "actions"}, {"elements", std::move(elements)}};
}

// Past the limit, the last visible block says how much is missing rather than failing the post.
void keep_within_block_limit(json& blocks) {
  if (blocks.size() <= max_blocks) return;
  const auto kept = max_blocks - 1;
  const auto left_out = blocks.size() - kept;
  blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(kept), blocks.end());
  blocks.push_back(*block_json(Context{{plain("… and " + std::to_string(left_out) + " more")}}));
}

}  // namespace

nlohmann::json to_block_kit(const Message& message) {
  json blocks = json::array();
  for (const auto& block : message.blocks) {
    auto rendered = std::visit([](const auto& b) { return block_json(b); }, block);
    if (rendered) blocks.push_back(std::move(*rendered));
  }
  keep_within_block_limit(blocks);
  return json{{"text", escape(message.fallback, max_fallback_bytes)},
              {"blocks", std::move(blocks)}};
}

}  // namespace microalign::slack
