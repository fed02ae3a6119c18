// Jira's deliveries (real Jira Cloud and Jira Server webhook bodies, tests/data/trackers/SOURCES.md)
// to the TrackerActivity they become.
#include <catch2/catch.hpp>

#include "deliveries.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace microalign::trackers;
using Verdict = WebhookOutcome::Verdict;
using Tickets = std::vector<std::string>;

namespace {

WebhookOutcome jira_outcome(std::string body, const ParseOptions& options = {}) {
  return receive(jira_delivery(std::move(body)), options);
}

// The Cloud update (whose changelog changed only the description) as Jira sends it when the
// changelog holds `item` instead, and the issue is now in `status`.
std::string cloud_update(const nlohmann::json& item, const nlohmann::json& status = nullptr) {
  return changed_payload("jira/cloud_issue_updated_description.json", [&](nlohmann::json& j) {
    j["changelog"]["items"] = nlohmann::json::array({item});
    if (!status.is_null()) j["issue"]["fields"]["status"] = status;
  });
}

}  // namespace

TEST_CASE("an issue created in Jira Cloud: opened, who, when, its page", "[trackers][jira]") {
  const auto a = activity_of(jira_outcome(tracker_payload("jira/cloud_issue_created.json")));
  CHECK(a.tracker == Tracker::jira);
  CHECK(a.delivery_id == "jira-delivery-1");
  CHECK(a.action == TrackerAction::opened);
  CHECK(a.tickets == Tickets{"KAN-22"});
  CHECK(a.item == "KAN-22");
  CHECK(a.actor == "Sirajudheen MK");
  CHECK(a.at == SysTime(std::chrono::milliseconds(1735441883659)));
  CHECK(a.url == "https://helloworld-test.atlassian.net/browse/KAN-22");
  CHECK(a.detail.empty());
}

TEST_CASE("a status changed in Jira Server: state_changed to the new status", "[trackers][jira]") {
  const auto a = activity_of(jira_outcome(tracker_payload("jira/server_issue_updated_status.json")));
  CHECK(a.action == TrackerAction::state_changed);
  CHECK(a.detail == "To Do");
  CHECK(a.tickets == Tickets{"VRF-803"});
  CHECK(a.actor == "Crystal Johnston");
  CHECK(a.at == SysTime(std::chrono::milliseconds(1569283453773)));
  CHECK(a.url == "https://jira.company.com/browse/VRF-803");
}

TEST_CASE("a status moved into the Done category closes the ticket", "[trackers][jira]") {
  const auto done = nlohmann::json::parse(R"({"name": "Done", "id": "10002",
      "statusCategory": {"id": 3, "key": "done", "colorName": "green", "name": "Done"}})");
  const auto item = nlohmann::json::parse(R"({"field": "status", "fieldtype": "jira", "fieldId": "status",
      "from": "10000", "fromString": "To Do", "to": "10002", "toString": "Done"})");
  const auto a = activity_of(jira_outcome(cloud_update(item, done)));
  CHECK(a.action == TrackerAction::closed);
  CHECK(a.detail == "Done");

  const auto review = nlohmann::json::parse(R"({"field": "status", "fieldtype": "jira", "fieldId": "status",
      "from": "10000", "fromString": "To Do", "to": "10001", "toString": "In Review"})");
  const auto in_progress = nlohmann::json::parse(R"({"name": "In Review",
      "statusCategory": {"key": "indeterminate"}})");
  const auto moved = activity_of(jira_outcome(cloud_update(review, in_progress)));
  CHECK(moved.action == TrackerAction::state_changed);
  CHECK(moved.detail == "In Review");
}

TEST_CASE("an assignee changed: assigned", "[trackers][jira]") {
  // The assignee item of the same site's jira:issue_created changelog.
  const auto created = nlohmann::json::parse(tracker_payload("jira/cloud_issue_created.json"));
  const auto a = activity_of(jira_outcome(cloud_update(created["changelog"]["items"][0])));
  CHECK(a.action == TrackerAction::assigned);
  CHECK(a.tickets == Tickets{"KAN-22"});
}

TEST_CASE("an update changing neither status nor assignee is ignored", "[trackers][jira]") {
  const auto description = jira_outcome(tracker_payload("jira/cloud_issue_updated_description.json"));
  CHECK(description.verdict == Verdict::ignored);
  CHECK(description.why == "Jira update of KAN-22 changes no status or assignee");
  CHECK(jira_outcome(tracker_payload("jira/server_issue_updated_sprint.json")).verdict == Verdict::ignored);
}

TEST_CASE("a comment created: commented, by the comment's author", "[trackers][jira]") {
  // Jira's comment_created carries the comment and its issue, and no `user`.
  const auto body = changed_payload("jira/cloud_issue_created.json", [](nlohmann::json& j) {
    j["webhookEvent"] = "comment_created";
    j["timestamp"] = 1735442100000;
    j["comment"] = {{"id", "10050"},
                    {"author", j["user"]},
                    {"body", "The back button is in review."},
                    {"created", "2024-12-29T08:45:00.000+0530"}};
    j.erase("user");
    j.erase("changelog");
    j.erase("issue_event_type_name");
  });
  const auto a = activity_of(jira_outcome(body));
  CHECK(a.action == TrackerAction::commented);
  CHECK(a.tickets == Tickets{"KAN-22"});
  CHECK(a.actor == "Sirajudheen MK");
  CHECK(a.at == SysTime(std::chrono::milliseconds(1735442100000)));
}

TEST_CASE("a key outside MICROALIGN_TICKET_PREFIXES names no ticket", "[trackers][jira]") {
  ParseOptions only_eng;
  only_eng.ticket_prefixes = {"ENG"};
  const auto outcome = jira_outcome(tracker_payload("jira/cloud_issue_created.json"), only_eng);
  CHECK(outcome.verdict == Verdict::ignored);
  CHECK(outcome.why == "jira opened KAN-22: names no ticket");
}

TEST_CASE("a Jira delivery without its identifier header is named by its body's hash", "[trackers][jira]") {
  auto request = jira_delivery(tracker_payload("jira/cloud_issue_created.json"));
  request.headers.erase("x-atlassian-webhook-identifier");
  CHECK(activity_of(receive(request)).delivery_id == "sha256:" + sha256_hex(request.body));
}

TEST_CASE("Jira events we do not use are ignored, and a body without its fields is malformed", "[trackers][jira]") {
  const auto worklog = jira_outcome(R"({"timestamp": 1, "webhookEvent": "worklog_created"})");
  CHECK(worklog.verdict == Verdict::ignored);
  CHECK(worklog.why == "Jira event worklog_created is not tracked");
  CHECK(jira_outcome(R"({"timestamp": 1})").verdict == Verdict::malformed);
  const auto keyless = jira_outcome(R"({"webhookEvent": "jira:issue_created", "issue": {"key": 22}})");
  CHECK(keyless.verdict == Verdict::malformed);
  CHECK(keyless.why == "Jira jira:issue_created without issue.key");
}

TEST_CASE("a Jira timestamp that is not whole milliseconds stands for the time received", "[trackers][jira]") {
  for (const nlohmann::json stamp : {nlohmann::json(1.5e300), nlohmann::json("1735441883659"), nlohmann::json(-5)}) {
    const auto body =
        changed_payload("jira/cloud_issue_created.json", [&](nlohmann::json& j) { j["timestamp"] = stamp; });
    CHECK(activity_of(jira_outcome(body)).at == received);
  }
}
