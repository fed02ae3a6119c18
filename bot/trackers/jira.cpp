// Jira Cloud's webhook events (developer.atlassian.com, "Webhooks"): issues created and updated
// (status and assignee changes, from the changelog) and comments, read into TrackerActivity.
#include <optional>

#include "decoding.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/text.hpp"

namespace microalign::trackers {
namespace {

using nlohmann::json;

// The issue's page: "https://acme.atlassian.net/browse/ENG-42", from its REST address ("self":
// "https://acme.atlassian.net/rest/api/2/10021"); "" when that is not an https URL.
std::string browse_url(const json& issue, std::string_view key) {
  const auto self = url_member(issue, "self");
  constexpr std::string_view scheme = "https://";
  if (!self.starts_with(scheme) || key.empty()) return {};
  const auto host_end = self.find('/', scheme.size());
  if (host_end == scheme.size()) return {};
  return self.substr(0, host_end) + "/browse/" + std::string(key);
}

// Jira Cloud names changelog fields by id ("status"); Jira Server only by name ("status", "Status").
bool changes_field(const json& item, std::string_view field) {
  return json_string_member(item, "fieldId") == field || lower_case(json_string_member(item, "field")) == field;
}

const json* changed(const json& changelog, std::string_view field) {
  if (!changelog.is_object()) return nullptr;
  const auto it = changelog.find("items");
  if (it == changelog.end() || !it->is_array()) return nullptr;
  for (const auto& item : *it) {
    if (item.is_object() && changes_field(item, field)) return &item;
  }
  return nullptr;
}

// What an update did that we track: a status change (closed when its category is Done), else an
// assignment; nullopt for anything else (a summary, a sprint, a description).
std::optional<TrackerAction> update_action(const json& body, const json& issue, std::string& detail) {
  const auto& changelog = json_object_member(body, "changelog");
  if (const auto* status = changed(changelog, "status")) {
    const auto& now_status = json_object_member(json_object_member(issue, "fields"), "status");
    detail = text_member(*status, "toString", 128);
    if (detail.empty()) detail = text_member(now_status, "name", 128);
    return json_string_member(json_object_member(now_status, "statusCategory"), "key") == "done"
               ? TrackerAction::closed
               : TrackerAction::state_changed;
  }
  if (changed(changelog, "assignee") != nullptr) return TrackerAction::assigned;
  return std::nullopt;
}

}  // namespace

WebhookOutcome decode_jira(const Delivery& d) {
  const auto event = json_string_member(d.body, "webhookEvent");
  if (event.empty()) return malformed("Jira delivery without webhookEvent");
  std::optional<TrackerAction> action;
  std::string detail;
  const auto& issue = json_object_member(d.body, "issue");
  const auto key = json_string_member(issue, "key");
  if (event == "jira:issue_created") {
    action = TrackerAction::opened;
  } else if (event == "jira:issue_updated") {
    action = update_action(d.body, issue, detail);
    if (!action) return ignored("Jira update of " + one_line(key) + " changes no status or assignee");
  } else if (event == "comment_created") {
    action = TrackerAction::commented;
  } else {
    return ignored("Jira event " + one_line(event) + " is not tracked");
  }
  if (key.empty()) return malformed("Jira " + event + " without issue.key");

  TrackerActivity a;
  a.tracker = Tracker::jira;
  a.delivery_id = d.delivery_id("x-atlassian-webhook-identifier");
  a.action = *action;
  a.detail = std::move(detail);
  const auto stamp = json_integer_member<std::int64_t>(d.body, "timestamp", 0, std::int64_t{1} << 50);
  a.at = stamp ? SysTime(std::chrono::milliseconds(*stamp)) : d.now;
  add_tickets_in(key, d.options, a.tickets);
  a.item = text_member(issue, "key", 64);
  if (!a.tickets.empty()) a.url = browse_url(issue, a.tickets.front());
  // Comment events name their author in the comment; the others, who did it in `user`.
  a.actor = text_member(json_object_member(d.body, "user"), "displayName");
  if (a.actor.empty())
    a.actor = text_member(json_object_member(json_object_member(d.body, "comment"), "author"), "displayName");
  return activity_or_ignored(std::move(a));
}

}  // namespace microalign::trackers
