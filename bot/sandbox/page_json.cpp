#include "microalign/sandbox/page_json.hpp"

#include "microalign/core/export.hpp"
#include "microalign/core/labels.hpp"
#include "microalign/core/update_form.hpp"

namespace microalign::sandbox {
namespace {

using nlohmann::json;

bool safe_url(const std::string& url) {
  return url.starts_with("https://") || url.starts_with("http://") || (url.starts_with("#") && url.size() > 1);
}

std::string_view style_name(Span::Style style) {
  switch (style) {
    case Span::Style::bold:
      return "bold";
    case Span::Style::italic:
      return "italic";
    case Span::Style::code:
      return "code";
    case Span::Style::plain:
      break;
  }
  return "";
}

json page_span(const Span& s, const Workspace& w) {
  json span;
  span["text"] = s.text;
  // People by the workspace's names; a channel as it was named. (user_ref and channel_ref spans
  // carry "@name" and "#name" already.)
  if (!s.user.empty()) {
    const auto* person = w.person(s.user);
    if (person) span["text"] = "@" + person->name;
    span["user"] = s.user;
  } else if (!s.channel.empty()) {
    if (!s.text.starts_with('#')) span["text"] = "#" + s.channel;
    span["channel"] = s.channel;
  }
  if (const auto style = style_name(s.style); !style.empty()) span["style"] = style;
  if (!s.url.empty() && safe_url(s.url)) span["url"] = s.url;
  return span;
}

json page_text(const RichText& text, const Workspace& w) {
  auto spans = json::array();
  for (const auto& s : text) spans.push_back(page_span(s, w));
  return spans;
}

std::string_view button_style(Button::Style style) {
  switch (style) {
    case Button::Style::primary:
      return "primary";
    case Button::Style::danger:
      return "danger";
    case Button::Style::normal:
      break;
  }
  return "normal";
}

json page_block(const Block& block, const Workspace& w) {
  json out;
  if (const auto* section = std::get_if<Section>(&block)) {
    out["type"] = "section";
    out["text"] = page_text(section->text, w);
  } else if (const auto* context = std::get_if<Context>(&block)) {
    out["type"] = "context";
    out["text"] = page_text(context->text, w);
  } else if (std::holds_alternative<Divider>(block)) {
    out["type"] = "divider";
  } else if (const auto* actions = std::get_if<Actions>(&block)) {
    out["type"] = "actions";
    out["buttons"] = json::array();
    for (const auto& b : actions->buttons) {
      json button;
      button["label"] = b.label;
      button["action_id"] = b.action_id;
      button["value"] = b.value;
      button["style"] = button_style(b.style);
      out["buttons"].push_back(std::move(button));
    }
  }
  return out;
}

json page_form(const FormView& form, const Workspace& w) {
  json out;
  out["ticket"] = form.ticket;
  out["about"] = page_text(form.about, w);
  out["open"] = form.open;
  out["state"] = form.state;
  out["note"] = form.note;
  out["problems"] = json::object();
  for (const auto& [field, problem] : form.problems) out["problems"][field] = problem;
  out["states"] = json::array();
  for (const auto state : update_form_states) {
    json option;
    option["value"] = std::string(to_string(state));
    option["label"] = state_label(state);
    out["states"].push_back(std::move(option));
  }
  return out;
}

std::string_view kind_name(Entry::Kind kind) {
  switch (kind) {
    case Entry::Kind::person:
      return "person";
    case Entry::Kind::form:
      return "form";
    case Entry::Kind::bot:
      break;
  }
  return "bot";
}

}  // namespace

json page_message(const Message& m, const Workspace& w) {
  json out;
  out["fallback"] = m.fallback;
  out["blocks"] = json::array();
  for (const auto& block : m.blocks) out["blocks"].push_back(page_block(block, w));
  return out;
}

json page_entry(const Entry& e, const Workspace& w) {
  json out;
  out["id"] = e.id;
  out["seq"] = e.seq;
  out["order"] = e.order;
  out["kind"] = kind_name(e.kind);
  out["conversation"] = e.conversation;
  out["thread"] = e.thread;
  out["author"] = e.author;
  out["only_for"] = e.only_for;
  out["at"] = e.at.time_since_epoch().count();
  out["edited"] = e.edited;
  out["checked_by"] = e.checked_by;
  if (e.kind == Entry::Kind::form) {
    out["form"] = page_form(e.form, w);
  } else {
    out["message"] = page_message(e.message, w);
  }
  return out;
}

json page_state(const MessageLog& log, std::int64_t since, SysTime now, const Workspace& w) {
  json out;
  out["cursor"] = log.cursor();
  out["now"]["ms"] = now.time_since_epoch().count();
  out["now"]["iso"] = format_rfc3339(now);
  out["team"] = w.team;
  out["bot"] = w.bot_name;
  out["channels"] = json::array();
  for (const auto& c : w.channels) {
    json channel;
    channel["id"] = c.id;
    channel["topic"] = c.topic;
    out["channels"].push_back(std::move(channel));
  }
  out["people"] = json::array();
  for (const auto& p : w.people) {
    json person;
    person["id"] = p.id;
    person["name"] = p.name;
    person["time_zone"] = p.time_zone;
    person["city"] = p.city;
    person["direct"] = direct_conversation(p.id);
    out["people"].push_back(std::move(person));
  }
  out["messages"] = json::array();
  for (const auto* e : log.since(since)) out["messages"].push_back(page_entry(*e, w));
  return out;
}

}  // namespace microalign::sandbox
