// Linear's data-change webhooks (linear.app/developers/webhooks): issues created and updated
// (state and assignee changes, from updatedFrom) and comments created, read into TrackerActivity.
#include <optional>

#include "decoding.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/text.hpp"

namespace microalign::trackers {
namespace {

using nlohmann::json;

// The issue's key: "identifier" ("ENG-42") where Linear sends it, else its team's key and its
// number, and the key in the issue's URL (".../issue/ENG-42/title"), which every payload has.
std::vector<std::string> issue_tickets(const Delivery& d, const json& issue) {
  std::vector<std::string> tickets;
  add_tickets_in(json_string_member(issue, "identifier"), d.options, tickets);
  const auto number = json_integer_member<std::int64_t>(issue, "number", 1);
  const auto team = json_string_member(json_object_member(issue, "team"), "key");
  if (number && !team.empty()) add_tickets_in(team + "-" + std::to_string(*number), d.options, tickets);
  add_tickets_in(json_string_member(d.body, "url"), d.options, tickets);
  return tickets;
}

// Who did it: `actor` in today's payloads; the comment's `user` in older ones.
std::string actor(const json& body, const json& data) {
  auto name = text_member(json_object_member(body, "actor"), "name");
  return name.empty() ? text_member(json_object_member(data, "user"), "name") : name;
}

bool has_member(const json& object, const char* name) { return object.is_object() && object.contains(name); }

bool non_null_member(const json& object, const char* name) {
  return has_member(object, name) && !object[name].is_null();
}

// Whether `name` was among the fields an update changed. Older payloads list unchanged fields in
// updatedFrom too (as null, the value they still have), so the old value must differ from the new.
bool changed(const json& before, const json& now, const char* name) {
  if (!has_member(before, name)) return false;
  static const json null;
  return before[name] != (has_member(now, name) ? now[name] : null);
}

// What an update did that we track, from what it changed (updatedFrom holds the old values of
// the fields it changed): a new state — closed when completed or canceled, reopened when it had
// been either — else a new assignee.
std::optional<TrackerAction> update_action(const json& body, const json& issue, std::string& detail) {
  const auto& before = json_object_member(body, "updatedFrom");
  if (changed(before, issue, "stateId")) {
    const auto& state = json_object_member(issue, "state");
    const auto type = json_string_member(state, "type");
    detail = text_member(state, "name", 128);
    if (type == "completed" || type == "canceled") return TrackerAction::closed;
    if (non_null_member(before, "completedAt") || non_null_member(before, "canceledAt")) return TrackerAction::reopened;
    return TrackerAction::state_changed;
  }
  if (changed(before, issue, "assigneeId")) return TrackerAction::assigned;
  return std::nullopt;
}

TrackerActivity activity(const Delivery& d, TrackerAction action, const json& data) {
  TrackerActivity a;
  a.tracker = Tracker::linear;
  a.action = action;
  a.actor = actor(d.body, data);
  a.url = url_member(d.body, "url");
  // Linear-Delivery names the delivery; without it, the webhook's id and the (signed) timestamp
  // name it as well.
  const auto webhook = json_string_member(d.body, "webhookId");
  const auto stamp = json_integer_member<std::int64_t>(d.body, "webhookTimestamp");
  if (d.header("linear-delivery").empty() && !webhook.empty() && stamp) {
    a.delivery_id = sanitize_utf8(webhook, 100) + "@" + std::to_string(*stamp);
  } else {
    a.delivery_id = d.delivery_id("linear-delivery");
  }
  return a;
}

WebhookOutcome issue(const Delivery& d, std::string_view action_name) {
  const auto& data = json_object_member(d.body, "data");
  std::string detail;
  std::optional<TrackerAction> action;
  if (action_name == "create") {
    action = TrackerAction::opened;
  } else if (action_name == "update") {
    action = update_action(d.body, data, detail);
    if (!action) return ignored("Linear Issue update changes no state or assignee");
  } else {
    return ignored("Linear Issue " + one_line(action_name) + " is not tracked");
  }
  if (data.is_null()) return malformed("Linear Issue delivery without data");
  auto a = activity(d, *action, data);
  a.detail = std::move(detail);
  a.tickets = issue_tickets(d, data);
  a.item = a.tickets.empty() ? std::string{} : a.tickets.front();
  a.at = time_member(data, action_name == "create" ? "createdAt" : "updatedAt", d.now);
  return activity_or_ignored(std::move(a));
}

WebhookOutcome comment(const Delivery& d, std::string_view action_name) {
  if (action_name != "create") return ignored("Linear Comment " + one_line(action_name) + " is not tracked");
  const auto& data = json_object_member(d.body, "data");
  if (data.is_null()) return malformed("Linear Comment delivery without data");
  auto a = activity(d, TrackerAction::commented, data);
  a.tickets = issue_tickets(d, json_object_member(data, "issue"));
  a.item = a.tickets.empty() ? std::string{} : a.tickets.front();
  a.at = time_member(data, "createdAt", d.now);
  return activity_or_ignored(std::move(a));
}

}  // namespace

WebhookOutcome decode_linear(const Delivery& d) {
  const auto type = json_string_member(d.body, "type");
  const auto action = json_string_member(d.body, "action");
  if (type.empty() || action.empty()) return malformed("Linear delivery without type and action");
  if (type == "Issue") return issue(d, action);
  if (type == "Comment") return comment(d, action);
  return ignored("Linear " + one_line(type) + " events are not tracked");
}

}  // namespace microalign::trackers
