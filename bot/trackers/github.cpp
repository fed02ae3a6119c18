// GitHub's webhook events (docs.github.com, "Webhook events and payloads"): issues, their
// comments, pull requests, their reviews and pushes, read into TrackerActivity.
#include <algorithm>
#include <cctype>
#include <optional>

#include "decoding.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/text.hpp"

namespace microalign::trackers {
namespace {

using nlohmann::json;

// An issue or pull request: its own "owner/repo#N" and the keys its title names.
struct Item {
  std::string label;  // "PR #9", "issue #12"
  std::vector<std::string> tickets;
  std::string url;
};

std::optional<Item> read_item(const Delivery& d, const json& item, bool pull_request) {
  const auto number = json_integer_member<std::int64_t>(item, "number", 1);
  const auto repository = json_string_member(json_object_member(d.body, "repository"), "full_name");
  if (!number || repository.empty()) return std::nullopt;
  Item read{(pull_request ? "PR #" : "issue #") + std::to_string(*number), {}, url_member(item, "html_url")};
  add_tickets_in(repository + "#" + std::to_string(*number), d.options, read.tickets);
  add_tickets_in(json_string_member(item, "title"), d.options, read.tickets);
  if (pull_request)
    add_tickets_in_branch(json_string_member(json_object_member(item, "head"), "ref"), d.options, read.tickets);
  return read;
}

TrackerActivity activity(const Delivery& d, TrackerAction action) {
  TrackerActivity a;
  a.tracker = Tracker::github;
  a.delivery_id = d.delivery_id("x-github-delivery");
  a.action = action;
  a.at = d.now;
  a.actor = text_member(json_object_member(d.body, "sender"), "login");
  return a;
}

TrackerActivity about(const Delivery& d, TrackerAction action, Item item, SysTime at) {
  auto a = activity(d, action);
  a.at = at;
  a.item = std::move(item.label);
  a.tickets = std::move(item.tickets);
  a.url = std::move(item.url);
  return a;
}

std::optional<TrackerAction> issue_action(std::string_view action) {
  if (action == "opened") return TrackerAction::opened;
  if (action == "closed") return TrackerAction::closed;
  if (action == "reopened") return TrackerAction::reopened;
  if (action == "assigned") return TrackerAction::assigned;
  return std::nullopt;
}

WebhookOutcome not_tracked(std::string_view event, std::string_view action) {
  return ignored("GitHub " + std::string(event) + " " + std::string(action) + " is not tracked");
}

WebhookOutcome issues(const Delivery& d, std::string_view action_name) {
  const auto action = issue_action(action_name);
  if (!action) return not_tracked("issues", action_name);
  const auto& issue = json_object_member(d.body, "issue");
  auto item = read_item(d, issue, false);
  if (!item) return malformed("GitHub issues event without issue.number and repository.full_name");
  const auto updated = time_member(issue, "updated_at", d.now);
  const auto at = *action == TrackerAction::closed ? time_member(issue, "closed_at", updated) : updated;
  return activity_or_ignored(about(d, *action, std::move(*item), at));
}

WebhookOutcome issue_comment(const Delivery& d, std::string_view action_name) {
  if (action_name != "created") return not_tracked("issue_comment", action_name);
  const auto& issue = json_object_member(d.body, "issue");
  // GitHub sends a pull request's conversation comments as comments on the issue it also is.
  auto item = read_item(d, issue, issue.contains("pull_request"));
  if (!item) return malformed("GitHub issue_comment event without issue.number and repository.full_name");
  const auto& comment = json_object_member(d.body, "comment");
  if (auto url = url_member(comment, "html_url"); !url.empty()) item->url = std::move(url);
  return activity_or_ignored(
      about(d, TrackerAction::commented, std::move(*item), time_member(comment, "created_at", d.now)));
}

std::optional<TrackerAction> pull_request_action(std::string_view action, const json& pr) {
  if (action == "opened") return TrackerAction::opened;
  if (action == "closed") return flag_member(pr, "merged") ? TrackerAction::merged : TrackerAction::closed;
  if (action == "reopened") return TrackerAction::reopened;
  if (action == "assigned") return TrackerAction::assigned;
  if (action == "synchronize") return TrackerAction::pushed;  // new commits on the PR's branch
  return std::nullopt;
}

WebhookOutcome pull_request(const Delivery& d, std::string_view action_name) {
  const auto& pr = json_object_member(d.body, "pull_request");
  const auto action = pull_request_action(action_name, pr);
  if (!action) return not_tracked("pull_request", action_name);
  auto item = read_item(d, pr, true);
  if (!item) return malformed("GitHub pull_request event without pull_request.number and repository.full_name");
  const auto updated = time_member(pr, "updated_at", d.now);
  const auto at = *action == TrackerAction::merged   ? time_member(pr, "merged_at", updated)
                  : *action == TrackerAction::closed ? time_member(pr, "closed_at", updated)
                                                     : updated;
  return activity_or_ignored(about(d, *action, std::move(*item), at));
}

// What a review concluded, as digests say it; a review that only comments concludes nothing.
// Webhooks spell the state in lower case (the REST API in upper case: both are read).
std::string review_verdict(const nlohmann::json& review) {
  auto state = json_string_member(review, "state");
  std::transform(state.begin(), state.end(), state.begin(), [](unsigned char c) { return std::tolower(c); });
  if (state == "approved") return "approved";
  if (state == "changes_requested") return "changes requested";
  return {};
}

WebhookOutcome pull_request_review(const Delivery& d, std::string_view action_name) {
  if (action_name != "submitted") return not_tracked("pull_request_review", action_name);
  auto item = read_item(d, json_object_member(d.body, "pull_request"), true);
  if (!item) return malformed("GitHub pull_request_review event without pull_request.number and repository.full_name");
  const auto& review = json_object_member(d.body, "review");
  if (auto url = url_member(review, "html_url"); !url.empty()) item->url = std::move(url);
  auto reviewed = about(d, TrackerAction::reviewed, std::move(*item), time_member(review, "submitted_at", d.now));
  reviewed.detail = review_verdict(review);
  return activity_or_ignored(std::move(reviewed));
}

WebhookOutcome push(const Delivery& d) {
  const auto ref = json_string_member(d.body, "ref");
  constexpr std::string_view heads = "refs/heads/";
  if (ref.empty()) return malformed("GitHub push event without ref");
  if (!ref.starts_with(heads)) return ignored("GitHub push to " + one_line(ref) + " is not to a branch");
  if (flag_member(d.body, "deleted")) return ignored("GitHub push deleting a branch is not tracked");
  auto a = activity(d, TrackerAction::pushed);
  const auto branch = std::string_view(ref).substr(heads.size());
  a.item = shortened(sanitize_utf8(branch), 200);
  a.url = url_member(d.body, "compare");
  add_tickets_in_branch(branch, d.options, a.tickets);
  if (const auto it = d.body.find("commits"); it != d.body.end() && it->is_array()) {
    for (const auto& commit : *it) {
      if (!commit.is_object()) continue;
      ++a.commits;
      add_tickets_in(json_string_member(commit, "message"), d.options, a.tickets);
    }
  }
  a.at = time_member(json_object_member(d.body, "head_commit"), "timestamp", d.now);
  return activity_or_ignored(std::move(a));
}

}  // namespace

WebhookOutcome decode_github(const Delivery& d) {
  const auto event = d.header("x-github-event");
  if (event.empty()) return malformed("missing X-GitHub-Event header");
  const auto action = json_string_member(d.body, "action");
  if (event == "issues") return issues(d, action);
  if (event == "issue_comment") return issue_comment(d, action);
  if (event == "pull_request") return pull_request(d, action);
  if (event == "pull_request_review") return pull_request_review(d, action);
  if (event == "push") return push(d);
  if (event == "ping") return ignored("GitHub ping: the webhook reaches microalign");
  return ignored("GitHub event " + one_line(event) + " is not tracked");
}

}  // namespace microalign::trackers
