#include "microalign/teams/adaptive_card.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <variant>

#include "microalign/core/labels.hpp"
#include "microalign/core/nudge_message.hpp"
#include "microalign/core/text.hpp"
#include "microalign/core/update_form.hpp"

namespace microalign::teams {
namespace {

using nlohmann::json;

constexpr std::string_view ellipsis = "…";
constexpr std::string_view adaptive_card_type = "application/vnd.microsoft.card.adaptive";
constexpr std::string_view schema_url = "http://adaptivecards.io/schemas/adaptive-card.json";

// The key under which a button's data travels: a click's `value` holds it, next to the inputs.
constexpr const char* data_key = "microalign";

// Teams' host config allows 6 actions in a row; a button title is a few words.
constexpr std::size_t max_buttons = 6;
constexpr std::size_t max_title_bytes = 100;
// Notifications show a line or two of the summary.
constexpr std::size_t max_summary_bytes = 1000;
// The form's note takes 3,000 characters, as Slack's modal does; what a click brings back is
// read up to 4 bytes a character.
constexpr int max_note_chars = 3000;
constexpr std::size_t max_field_bytes = 4 * max_note_chars;

// ---- Markdown ----------------------------------------------------------------------------------

bool is_ascii_in(char32_t c, std::string_view set) {
  return c < 0x80 && set.find(static_cast<char>(c)) != std::string_view::npos;
}

// Markup anywhere in a line, in CommonMark or in the mobile clients' parser.
constexpr std::string_view always_escaped = "\\*_`[]()<>&~{}";
// Markup only where a block may start: a line's start, or right after a bracket (where the mobile
// clients' parser starts a new block too).
constexpr std::string_view escaped_at_block_start = "#-+";
// After these the mobile clients' parser starts a new block.
constexpr std::string_view block_breaks = "[]()";

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_line_break(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }
bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Builds one TextBlock's Markdown. Literal text goes in through `text`, escaped; our own markup
// through `markup`. The state carries across spans, since what is markup depends on what came
// before: a "-" is a list marker only at the start of a block.
class MarkdownWriter {
 public:
  explicit MarkdownWriter(std::size_t max_bytes) : budget_(max_bytes) {}

  // Appends `literal` escaped, code point by code point, as long as each piece fits; false when
  // something did not fit (and was left out).
  bool text(std::string_view literal) {
    for (std::size_t at = 0; at < literal.size();) {
      const auto point = code_point_at(literal, at);
      const auto bytes = point.valid ? literal.substr(at, point.length) : replacement_character;
      const char32_t c = point.valid ? point.value : 0xFFFD;
      at += point.length;

      if (is_line_break(c)) {
        break_pending_ = !out_.empty();
        line_start_ = true;
        continue;
      }
      const bool space = c == ' ' || c == '\t';
      if ((space && line_start_) || (!space && is_control(c))) continue;

      // What a pending line break will make a block start counts as one already.
      const bool block_start = block_start_ || break_pending_;
      std::string piece;
      if (space) {
        piece = " ";
      } else if (is_ascii_in(c, always_escaped) || (block_start && is_ascii_in(c, escaped_at_block_start))) {
        piece = {'\\', static_cast<char>(c)};
      } else if (block_start && is_digit(c)) {
        // "12. x" would start an ordered list: the digits, then the dot escaped.
        piece = std::string(bytes);
        while (at < literal.size() && is_digit(static_cast<unsigned char>(literal[at]))) piece += literal[at++];
        if (at < literal.size() && literal[at] == '.') {
          piece += "\\.";
          ++at;
        }
      } else {
        piece = std::string(bytes);
      }
      if (!append(piece)) return false;
      block_start_ = is_ascii_in(c, block_breaks);
    }
    return true;
  }

  // Appends our own markup as it is; false (appending nothing) when it does not fit.
  bool markup(std::string_view piece) {
    if (!append(piece)) return false;
    block_start_ = is_ascii_in(static_cast<unsigned char>(piece.back()), block_breaks);
    return true;
  }

  void add_mention(Mention m) {
    if (std::ranges::find(mentions_, m) == mentions_.end()) mentions_.push_back(std::move(m));
  }

  // Where the writer is, to go back to when a span turns out not to fit whole.
  struct Checkpoint {
    std::size_t size;
    std::size_t mentions;
    bool line_start;
    bool block_start;
    bool break_pending;
  };
  Checkpoint checkpoint() const { return {out_.size(), mentions_.size(), line_start_, block_start_, break_pending_}; }
  void restore(const Checkpoint& c) {
    out_.resize(c.size);
    mentions_.resize(c.mentions);
    line_start_ = c.line_start;
    block_start_ = c.block_start;
    break_pending_ = c.break_pending;
  }

  // Ends with "…" after whatever fitted: room for it is kept by the caller's budget.
  void mark_cut() { out_ += ellipsis; }

  Markdown finish() && { return {std::move(out_), std::move(mentions_)}; }

 private:
  // Starts the pending paragraph break first; appends nothing unless all of it fits.
  bool append(std::string_view piece) {
    const std::string_view paragraph_break = break_pending_ ? "\n\n" : "";
    if (out_.size() + paragraph_break.size() + piece.size() > budget_) return false;
    if (break_pending_) {
      out_ += paragraph_break;
      break_pending_ = false;
      block_start_ = true;
    }
    out_ += piece;
    line_start_ = false;
    return true;
  }

  std::string out_;
  std::vector<Mention> mentions_;
  std::size_t budget_;
  bool line_start_ = true;      // nothing but dropped white space since the last line break
  bool block_start_ = true;     // at a line's start or right after a bracket
  bool break_pending_ = false;  // a line break read, not yet written (trailing ones never are)
};

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && lower_case(text.substr(0, prefix.size())) == prefix;
}

// Only targets people expect from a link, and only ones that cannot break out of `(…)` or be
// read as markup inside it by any client.
bool is_safe_link_target(std::string_view url) {
  const bool allowed_scheme = starts_with_ignoring_case(url, "https://") || starts_with_ignoring_case(url, "http://") ||
                              starts_with_ignoring_case(url, "mailto:");
  if (!allowed_scheme) return false;
  for (std::size_t at = 0; at < url.size();) {
    const auto point = code_point_at(url, at);
    if (!point.valid || point.value <= ' ' || is_control(point.value) || is_line_break(point.value) ||
        is_ascii_in(point.value, "()<>[]{}\\`\"*")) {
      return false;
    }
    at += point.length;
  }
  return true;
}

// Code safe to put between backticks as it is: nothing any client could read as markup (after a
// backtick no block starts, so only what is markup anywhere counts), and no white space at its
// ends (CommonMark would strip it).
bool is_plain_code(std::string_view code) {
  if (code.empty() || code.front() == ' ' || code.back() == ' ') return false;
  for (std::size_t at = 0; at < code.size();) {
    const auto point = code_point_at(code, at);
    if (!point.valid || is_control(point.value) || is_line_break(point.value) ||
        is_ascii_in(point.value, always_escaped)) {
      return false;
    }
    at += point.length;
  }
  return true;
}

// A name fit for `<at>…</at>`: no character that could end the tag or become markup.
std::string mention_name(std::string_view display) {
  std::string name;
  bool space = false;
  for (std::size_t at = 0; at < display.size();) {
    const auto point = code_point_at(display, at);
    const auto bytes = display.substr(at, point.length);
    at += point.length;
    if (!point.valid || point.value == ' ' || is_control(point.value) || is_line_break(point.value) ||
        is_ascii_in(point.value, always_escaped)) {
      space = !name.empty();
      continue;
    }
    if (space) name += ' ';
    space = false;
    name += bytes;
  }
  return name;
}

// Bold and italic apply line by line (emphasis never spans a paragraph), with the white space
// at a line's ends kept outside the markers (CommonMark ignores markers next to white space).
bool styled_text(MarkdownWriter& out, std::string_view text, std::string_view marker) {
  for (std::size_t at = 0; at <= text.size();) {
    auto end = text.find_first_of("\r\n", at);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(at, end - at);
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
      if (!out.text(line)) return false;
    } else {
      const auto last = line.find_last_not_of(" \t");
      if (!out.text(line.substr(0, first)) || !out.markup(marker) || !out.text(line.substr(first, last + 1 - first)) ||
          !out.markup(marker) || !out.text(line.substr(last + 1))) {
        return false;
      }
    }
    if (end == text.size()) break;
    if (!out.text(text.substr(end, 1))) return false;
    at = end + 1;
  }
  return true;
}

bool span_markdown(MarkdownWriter& out, const Span& span) {
  if (!span.url.empty() && is_safe_link_target(span.url)) {
    const auto label = span.text.empty() ? span.url : span.text;
    const std::string_view marker = span.style == Span::Style::bold     ? "**"
                                    : span.style == Span::Style::italic ? "_"
                                                                        : "";
    return (marker.empty() || out.markup(marker)) && out.markup("[") && out.text(label) &&
           out.markup("](" + sanitize_utf8(span.url) + ")") && (marker.empty() || out.markup(marker));
  }
  if (!span.user.empty() && span.mention) {
    auto name = mention_name(display_text(span).starts_with('@') ? display_text(span).substr(1) : display_text(span));
    if (!name.empty()) {
      Mention m{"<at>" + name + "</at>", sanitize_utf8(span.user), sanitize_utf8(name)};
      if (!out.markup(m.text)) return false;
      out.add_mention(std::move(m));
      return true;
    }
  }
  const auto text = display_text(span);
  if (text.empty()) return true;  // "``" or "****" would show as such
  if (!span.url.empty() || !span.user.empty() || !span.channel.empty()) return out.text(text);
  switch (span.style) {
    case Span::Style::bold:
      return styled_text(out, text, "**");
    case Span::Style::italic:
      return styled_text(out, text, "_");
    case Span::Style::code:
      if (is_plain_code(text)) return out.markup("`" + text + "`");
      return out.text("`" + text + "`");
    case Span::Style::plain:
      break;
  }
  return out.text(text);
}

// Whole spans while they fit, then as much of the next span's text as fits, as plain text.
bool spans_within(MarkdownWriter& out, const RichText& text) {
  for (const auto& span : text) {
    const auto before = out.checkpoint();
    if (span_markdown(out, span)) continue;
    out.restore(before);
    out.text(display_text(span));
    return false;
  }
  return true;
}

// ---- Card elements -----------------------------------------------------------------------------

struct Element {
  json body_element;
  std::vector<Mention> mentions;
};

std::optional<Element> text_block(const RichText& text, bool small) {
  auto markdown = to_markdown(text);
  if (markdown.text.empty()) return std::nullopt;
  json block{{"type", "TextBlock"}, {"text", std::move(markdown.text)}, {"wrap", true}};
  if (small) {
    block["size"] = "Small";
    block["isSubtle"] = true;
  }
  return Element{std::move(block), std::move(markdown.mentions)};
}

json submit_data(const Button& button) {
  return {{data_key, {{"action_id", sanitize_utf8(button.action_id)}, {"value", sanitize_utf8(button.value)}}}};
}

std::string title_of(const Button& button) { return sanitize_utf8(button.label, max_title_bytes); }

json submit(const Button& button) {
  // Ids and values round-trip back to us, so they are never cut, only made serialisable.
  json action{{"type", "Action.Submit"}, {"title", title_of(button)}, {"data", submit_data(button)}};
  switch (button.style) {
    case Button::Style::primary:
      action["style"] = "positive";
      break;
    case Button::Style::danger:
      action["style"] = "destructive";
      break;
    case Button::Style::normal:
      break;
  }
  return action;
}

// The "post an update" form, as Slack's modal has it (slack/nudge_views.cpp): an optional state
// from the list and a note. Input ids are unique in the card — a DM has a form per ticket, and a
// client that gathers inputs by id would mix them up otherwise — so they are the field ids
// numbered ("state.2"), and the Post button's data says which input holds which field.
json update_form(const Button& button, int number) {
  const auto input_id = [&](std::string_view field) { return std::string(field) + "." + std::to_string(number); };
  json choices = json::array();
  for (const auto state : update_form_states) {
    choices.push_back({{"title", state_label(state)}, {"value", std::string(to_string(state))}});
  }
  json state{{"type", "Input.ChoiceSet"},  {"id", input_id(update_form_field::state)},
             {"label", "State"},           {"style", "compact"},
             {"placeholder", "Unchanged"}, {"choices", std::move(choices)}};
  json note{{"type", "Input.Text"},        {"id", input_id(update_form_field::note)},
            {"label", "What's new?"},      {"isMultiline", true},
            {"maxLength", max_note_chars}, {"placeholder", "Draft PR up, review tomorrow — or what is in the way"}};
  auto data = submit_data(button);
  data[data_key]["form"] = {{std::string(update_form_field::state), input_id(update_form_field::state)},
                            {std::string(update_form_field::note), input_id(update_form_field::note)}};
  json post{{"type", "Action.Submit"}, {"title", "Post"}, {"style", "positive"}, {"data", std::move(data)}};
  return {{"type", "Action.ShowCard"},
          {"title", title_of(button)},
          {"card",
           {{"type", "AdaptiveCard"},
            {"body", json::array({std::move(state), std::move(note)})},
            {"actions", json::array({std::move(post)})}}}};
}

std::optional<Element> action_set(const Actions& actions, int& forms) {
  if (actions.buttons.empty()) return std::nullopt;
  json list = json::array();
  for (const auto& button : actions.buttons) {
    if (list.size() == max_buttons) break;
    list.push_back(button.action_id == nudge_action::post_update ? update_form(button, ++forms) : submit(button));
  }
  return Element{{{"type", "ActionSet"}, {"actions", std::move(list)}}, {}};
}

// A block with the Actions blocks that follow it: shown or left out together.
struct Item {
  std::vector<json> elements;
  std::vector<Mention> mentions;
};

std::vector<Item> items_of(const Message& message) {
  std::vector<Item> items;
  bool separator = false;
  int forms = 0;
  for (const auto& block : message.blocks) {
    std::optional<Element> element;
    bool joins_previous = false;
    if (std::holds_alternative<Divider>(block)) {
      separator = true;
      continue;
    }
    if (const auto* section = std::get_if<Section>(&block)) element = text_block(section->text, false);
    if (const auto* context = std::get_if<Context>(&block)) element = text_block(context->text, true);
    if (const auto* actions = std::get_if<Actions>(&block)) {
      element = action_set(*actions, forms);
      joins_previous = !items.empty();
    }
    if (!element) continue;
    if (separator) element->body_element["separator"] = true;
    separator = false;
    if (!joins_previous) items.emplace_back();
    items.back().elements.push_back(std::move(element->body_element));
    items.back().mentions.insert(items.back().mentions.end(), element->mentions.begin(), element->mentions.end());
  }
  return items;
}

json mention_entity(const Mention& m) {
  return {{"type", "mention"}, {"text", m.text}, {"mentioned", {{"id", m.id}, {"name", m.name}}}};
}

// The activity showing the first `shown` items, and the count of the others when there are any.
json activity_of(const Message& message, const std::vector<Item>& items, std::size_t shown) {
  json body = json::array();
  json entities = json::array();
  std::vector<Mention> mentioned;
  for (std::size_t i = 0; i < shown; ++i) {
    for (const auto& element : items[i].elements) body.push_back(element);
    for (const auto& m : items[i].mentions) {
      if (std::ranges::find(mentioned, m) != mentioned.end()) continue;
      mentioned.push_back(m);
      entities.push_back(mention_entity(m));
    }
  }
  if (shown < items.size()) {
    json note{{"type", "TextBlock"},
              {"text", "…and " + std::to_string(items.size() - shown) + " more not shown"},
              {"wrap", true},
              {"size", "Small"},
              {"isSubtle", true}};
    if (items[shown].elements.front().value("separator", false)) note["separator"] = true;
    body.push_back(std::move(note));
  }
  if (items.empty() && !message.fallback.empty()) {
    if (auto fallback = text_block({plain(message.fallback)}, false)) body.push_back(std::move(fallback->body_element));
  }

  json card{{"type", "AdaptiveCard"}, {"$schema", schema_url}, {"version", card_version}, {"body", std::move(body)}};
  if (!entities.empty()) card["msteams"] = {{"entities", std::move(entities)}};
  json activity{{"type", "message"}};
  if (!message.fallback.empty()) activity["summary"] = sanitize_utf8(message.fallback, max_summary_bytes);
  activity["attachments"] = json::array({{{"contentType", adaptive_card_type}, {"content", std::move(card)}}});
  return activity;
}

std::size_t size_of(const json& j) { return utf16_bytes(j.dump()); }

std::string field_value(const json& value, const json& input_id) {
  if (!input_id.is_string()) return {};
  const auto it = value.find(input_id.get<std::string>());
  return it != value.end() && it->is_string() ? sanitize_utf8(it->get<std::string>(), max_field_bytes) : std::string{};
}

}  // namespace

std::size_t utf16_bytes(std::string_view utf8) {
  std::size_t bytes = 0;
  for (std::size_t at = 0; at < utf8.size();) {
    const auto point = code_point_at(utf8, at);
    bytes += point.valid && point.value > 0xFFFF ? 4 : 2;
    at += point.length;
  }
  return bytes;
}

Markdown to_markdown(const RichText& text, std::size_t max_bytes) {
  MarkdownWriter out(max_bytes);
  if (spans_within(out, text)) return std::move(out).finish();
  // Not everything fitted: again with room kept for "…", so a cut is always visible.
  MarkdownWriter cut(max_bytes < ellipsis.size() ? 0 : max_bytes - ellipsis.size());
  spans_within(cut, text);
  if (max_bytes >= ellipsis.size()) cut.mark_cut();
  return std::move(cut).finish();
}

nlohmann::json to_teams_activity(const Message& message) {
  const auto items = items_of(message);
  auto activity = activity_of(message, items, items.size());
  if (items.empty() || size_of(activity) <= activity_budget_bytes) return activity;

  // The most items whose sizes add up within the budget, next to what every activity holds (the
  // envelope and the "…and N more" note); then fewer while the whole, measured, is still over.
  const auto fixed = size_of(activity_of(message, items, 0));
  std::size_t shown = 0;
  for (std::size_t total = fixed; shown < items.size(); ++shown) {
    for (const auto& element : items[shown].elements) total += size_of(element) + 2;  // and a comma
    if (total > activity_budget_bytes) break;
  }
  for (shown = std::max<std::size_t>(shown, 1);; --shown) {
    activity = activity_of(message, items, shown);
    if (shown == 1 || size_of(activity) <= activity_budget_bytes) return activity;
  }
}

nlohmann::json to_adaptive_card(const Message& message) {
  return to_teams_activity(message)["attachments"][0]["content"];
}

std::optional<CardClick> read_card_click(const nlohmann::json& value) {
  if (!value.is_object()) return std::nullopt;
  const auto data = value.find(data_key);
  if (data == value.end() || !data->is_object()) return std::nullopt;
  const auto action_id = data->find("action_id");
  const auto button_value = data->find("value");
  if (action_id == data->end() || !action_id->is_string() || button_value == data->end() ||
      !button_value->is_string()) {
    return std::nullopt;
  }
  CardClick click{sanitize_utf8(action_id->get<std::string>()), sanitize_utf8(button_value->get<std::string>()), {}};
  if (const auto form = data->find("form"); form != data->end() && form->is_object()) {
    for (const auto field : {update_form_field::state, update_form_field::note}) {
      click.fields[std::string(field)] = field_value(value, form->value(std::string(field), json{}));
    }
  }
  return click;
}

}  // namespace microalign::teams
