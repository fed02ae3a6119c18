#include "microalign/core/message_json.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace microalign {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Span::Style, std::string_view>, 4> span_styles{{
    {Span::Style::plain, "plain"},
    {Span::Style::bold, "bold"},
    {Span::Style::italic, "italic"},
    {Span::Style::code, "code"},
}};
constexpr std::array<std::pair<Button::Style, std::string_view>, 3> button_styles{{
    {Button::Style::normal, "normal"},
    {Button::Style::primary, "primary"},
    {Button::Style::danger, "danger"},
}};

template <typename Style, std::size_t N>
std::string_view style_name(const std::array<std::pair<Style, std::string_view>, N>& names, Style style) {
  for (const auto& [value, name] : names) {
    if (value == style) return name;
  }
  return names.front().second;
}

template <typename Style, std::size_t N>
std::optional<Style> style_named(const std::array<std::pair<Style, std::string_view>, N>& names,
                                 const std::string& name) {
  for (const auto& [value, known] : names) {
    if (known == name) return value;
  }
  return std::nullopt;
}

void put_if(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

json rich_text_json(const RichText& text) {
  auto spans = json::array();
  for (const auto& s : text) {
    json span;
    span["text"] = s.text;
    if (s.style != Span::Style::plain) span["style"] = style_name(span_styles, s.style);
    put_if(span, "url", s.url);
    put_if(span, "user", s.user);
    if (s.mention) span["mention"] = true;
    put_if(span, "channel", s.channel);
    spans.push_back(std::move(span));
  }
  return spans;
}

json block_json(const Block& block) {
  if (const auto* section = std::get_if<Section>(&block)) return {{"section", rich_text_json(section->text)}};
  if (const auto* context = std::get_if<Context>(&block)) return {{"context", rich_text_json(context->text)}};
  if (std::holds_alternative<Divider>(block)) return {{"divider", true}};
  auto buttons = json::array();
  for (const auto& b : std::get<Actions>(block).buttons) {
    json button{{"label", b.label}, {"action_id", b.action_id}};
    put_if(button, "value", b.value);
    if (b.style != Button::Style::normal) button["style"] = style_name(button_styles, b.style);
    buttons.push_back(std::move(button));
  }
  return {{"actions", std::move(buttons)}};
}

// Reading back: every field checked, nothing thrown.
class Reader {
 public:
  std::optional<Message> message(const json& j) {
    if (!j.is_object()) return std::nullopt;
    Message m;
    m.fallback = string(j, "fallback");
    const auto blocks = j.find("blocks");
    if (blocks == j.end() || !blocks->is_array()) return std::nullopt;
    for (const auto& b : *blocks) {
      if (auto read = block(b)) m.blocks.push_back(std::move(*read));
    }
    if (!ok_) return std::nullopt;
    return m;
  }

 private:
  std::string string(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end()) return {};
    if (!it->is_string()) ok_ = false;
    return it->is_string() ? it->get<std::string>() : std::string{};
  }

  RichText rich_text(const json& spans) {
    RichText text;
    if (!spans.is_array()) ok_ = false;
    if (!ok_) return text;
    for (const auto& j : spans) {
      if (!j.is_object()) {
        ok_ = false;
        return text;
      }
      Span s;
      s.text = string(j, "text");
      if (j.contains("style")) {
        const auto style = style_named(span_styles, string(j, "style"));
        if (!style) ok_ = false;
        s.style = style.value_or(Span::Style::plain);
      }
      s.url = string(j, "url");
      s.user = string(j, "user");
      s.mention = j.value("mention", json(false)) == json(true);
      s.channel = string(j, "channel");
      text.push_back(std::move(s));
    }
    return text;
  }

  std::optional<Block> block(const json& j) {
    if (!j.is_object() || j.size() != 1) {
      ok_ = false;
      return std::nullopt;
    }
    const auto only = j.begin();
    const std::string& kind = only.key();
    const json& body = only.value();
    if (kind == "section") return Section{rich_text(body)};
    if (kind == "context") return Context{rich_text(body)};
    if (kind == "divider") return Divider{};
    if (kind != "actions" || !body.is_array()) {
      ok_ = false;
      return std::nullopt;
    }
    Actions actions;
    for (const auto& b : body) {
      if (!b.is_object()) {
        ok_ = false;
        return std::nullopt;
      }
      Button button{string(b, "label"), string(b, "action_id"), string(b, "value")};
      if (b.contains("style")) {
        const auto style = style_named(button_styles, string(b, "style"));
        if (!style) ok_ = false;
        button.style = style.value_or(Button::Style::normal);
      }
      actions.buttons.push_back(std::move(button));
    }
    return actions;
  }

  bool ok_ = true;
};

}  // namespace

json to_json(const Message& m) {
  auto blocks = json::array();
  for (const auto& b : m.blocks) blocks.push_back(block_json(b));
  return {{"fallback", m.fallback}, {"blocks", std::move(blocks)}};
}

std::optional<Message> message_from_json(const json& j) { return Reader().message(j); }

}  // namespace microalign
