// GitHub's deliveries (octokit/webhooks' payload examples) to the TrackerActivity they become.
#include <catch2/catch.hpp>

#include "deliveries.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace microalign::trackers;
using Verdict = WebhookOutcome::Verdict;
using Tickets = std::vector<std::string>;

namespace {

TrackerActivity github_activity(const std::string& event, const std::string& payload,
                                const ParseOptions& options = {}) {
  return activity_of(receive(github_delivery(event, tracker_payload("github/" + payload)), options));
}

WebhookOutcome github_outcome(const std::string& event, std::string body) {
  return receive(github_delivery(event, std::move(body)));
}

}  // namespace

TEST_CASE("an issue opened: its own key, who, when, where", "[trackers][github]") {
  const auto a = github_activity("issues", "issues_opened.json");
  CHECK(a.tracker == Tracker::github);
  CHECK(a.delivery_id == "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  CHECK(a.action == TrackerAction::opened);
  CHECK(a.tickets == Tickets{"codertocat/hello-world#1"});
  CHECK(a.item == "issue #1");
  CHECK(a.url == "https://github.com/Codertocat/Hello-World/issues/1");
  CHECK(a.actor == "Codertocat");
  CHECK(a.at == at("2019-05-15T15:20:18Z"));
  CHECK(a.detail.empty());
  CHECK(a.commits == 0);
}

TEST_CASE("an issue reopened and an issue assigned", "[trackers][github]") {
  const auto reopened = github_activity("issues", "issues_reopened.json");
  CHECK(reopened.action == TrackerAction::reopened);
  CHECK(reopened.at == at("2021-10-11T16:40:56Z"));
  CHECK(github_activity("issues", "issues_assigned.json").action == TrackerAction::assigned);
}

TEST_CASE("an issue closed counts from closed_at", "[trackers][github]") {
  // octokit/webhooks has no issues.closed example: the opened one, as GitHub sends it closed.
  const auto body = changed_payload("github/issues_opened.json", [](nlohmann::json& j) {
    j["action"] = "closed";
    j["issue"]["state"] = "closed";
    j["issue"]["closed_at"] = "2019-05-16T09:00:00Z";
  });
  const auto a = activity_of(github_outcome("issues", body));
  CHECK(a.action == TrackerAction::closed);
  CHECK(a.at == at("2019-05-16T09:00:00Z"));
}

TEST_CASE("an issue edited or labeled is not tracked", "[trackers][github]") {
  const auto outcome = github_outcome("issues", tracker_payload("github/issues_edited.json"));
  CHECK(outcome.verdict == Verdict::ignored);
  CHECK(outcome.why == "GitHub issues edited is not tracked");
  CHECK(github_outcome("pull_request", tracker_payload("github/pull_request_labeled.json")).verdict ==
        Verdict::ignored);
}

TEST_CASE("a comment on an issue: commented, linking the comment", "[trackers][github]") {
  const auto a = github_activity("issue_comment", "issue_comment_created.json");
  CHECK(a.action == TrackerAction::commented);
  CHECK(a.tickets == Tickets{"codertocat/hello-world#1"});
  CHECK(a.item == "issue #1");
  CHECK(a.url == "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400");
  CHECK(a.at == at("2019-05-15T15:20:21Z"));
}

TEST_CASE("a comment on a pull request's conversation is about the PR", "[trackers][github]") {
  const auto body = changed_payload("github/issue_comment_created.json", [](nlohmann::json& j) {
    j["issue"]["pull_request"] = {{"url", "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}};
  });
  CHECK(activity_of(github_outcome("issue_comment", body)).item == "PR #1");
}

TEST_CASE("a pull request opened, reopened, assigned and pushed to", "[trackers][github]") {
  const auto opened = github_activity("pull_request", "pull_request_opened.json");
  CHECK(opened.action == TrackerAction::opened);
  CHECK(opened.tickets == Tickets{"codertocat/hello-world#2"});
  CHECK(opened.item == "PR #2");
  CHECK(opened.url == "https://github.com/Codertocat/Hello-World/pull/2");
  CHECK(opened.at == at("2019-05-15T15:20:33Z"));
  CHECK(github_activity("pull_request", "pull_request_reopened.json").action == TrackerAction::reopened);
  CHECK(github_activity("pull_request", "pull_request_assigned.json").action == TrackerAction::assigned);
  CHECK(github_activity("pull_request", "pull_request_synchronize.json").action == TrackerAction::pushed);
}

TEST_CASE("a pull request closed unmerged is closed, merged is merged: both make it done", "[trackers][github]") {
  const auto closed = github_activity("pull_request", "pull_request_closed.json");
  CHECK(closed.action == TrackerAction::closed);
  CHECK(closed.at == at("2019-05-15T15:21:18Z"));

  const auto body = changed_payload("github/pull_request_closed.json", [](nlohmann::json& j) {
    j["pull_request"]["merged"] = true;
    j["pull_request"]["merged_at"] = "2019-05-15T15:21:19Z";
  });
  const auto merged = activity_of(github_outcome("pull_request", body));
  CHECK(merged.action == TrackerAction::merged);
  CHECK(merged.at == at("2019-05-15T15:21:19Z"));
}

TEST_CASE("merged must be JSON true: the string true is not a merge", "[trackers][github]") {
  const auto body = changed_payload("github/pull_request_closed.json",
                                    [](nlohmann::json& j) { j["pull_request"]["merged"] = "true"; });
  CHECK(activity_of(github_outcome("pull_request", body)).action == TrackerAction::closed);
}

TEST_CASE("a review submitted: reviewed, linking the review", "[trackers][github]") {
  const auto a = github_activity("pull_request_review", "pull_request_review_submitted.json");
  CHECK(a.action == TrackerAction::reviewed);
  CHECK(a.tickets == Tickets{"codertocat/hello-world#2"});
  CHECK(a.url == "https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671");
  CHECK(a.at == at("2019-05-15T15:20:38Z"));
  CHECK(a.detail.empty());  // the example's review only comments
}

TEST_CASE("a review's verdict: approved or changes requested, in either case GitHub spells it", "[trackers][github]") {
  const auto verdict = [](const char* state) {
    // The documented example with its review's state changed (it only comments).
    const auto body = changed_payload("github/pull_request_review_submitted.json",
                                      [&](nlohmann::json& json) { json["review"]["state"] = state; });
    const auto a = activity_of(github_outcome("pull_request_review", body));
    CHECK(a.action == TrackerAction::reviewed);
    return a.detail;
  };
  CHECK(verdict("approved") == "approved");
  CHECK(verdict("APPROVED") == "approved");
  CHECK(verdict("changes_requested") == "changes requested");
  CHECK(verdict("commented").empty());
  CHECK(verdict("dismissed").empty());
}

TEST_CASE("a pull request names the keys in its title and its head branch", "[trackers][github]") {
  const auto body = changed_payload("github/pull_request_opened.json", [](nlohmann::json& j) {
    j["pull_request"]["title"] = "ENG-43: Update the README with new information.";
    j["pull_request"]["head"]["ref"] = "ENG-42-fix-export";
  });
  const auto a = activity_of(github_outcome("pull_request", body));
  CHECK(a.tickets == Tickets{"codertocat/hello-world#2", "ENG-43", "ENG-42"});

  ParseOptions only_ops;
  only_ops.ticket_prefixes = {"OPS"};
  CHECK(activity_of(receive(github_delivery("pull_request", body), only_ops)).tickets ==
        Tickets{"codertocat/hello-world#2"});
}

TEST_CASE("a push to a branch named for a ticket, with keys in its commit messages", "[trackers][github]") {
  const auto body = changed_payload("github/push_with-new-branch.json", [](nlohmann::json& j) {
    j["ref"] = "refs/heads/ana/eng-42-fix-export";
    j["commits"][0]["message"] = "Export in UTF-8 again, fixes OPS-7";
  });
  const auto a = activity_of(github_outcome("push", body));
  CHECK(a.action == TrackerAction::pushed);
  CHECK(a.tickets == Tickets{"ENG-42", "OPS-7"});
  CHECK(a.item == "ana/eng-42-fix-export");
  CHECK(a.commits == 1);
  CHECK(a.url == "https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246");
  CHECK(a.at == at("2019-05-15T15:19:25Z"));
  CHECK(a.actor == "Codertocat");
}

TEST_CASE("a push naming no ticket, a tag pushed and a branch deleted are ignored", "[trackers][github]") {
  const auto plain = github_outcome("push", tracker_payload("github/push_with-new-branch.json"));
  CHECK(plain.verdict == Verdict::ignored);
  CHECK(plain.why == "github pushed master: names no ticket");
  const auto tag = github_outcome("push", tracker_payload("github/push.json"));
  CHECK(tag.verdict == Verdict::ignored);
  CHECK(tag.why == "GitHub push to refs/tags/simple-tag is not to a branch");
  const auto deleted = changed_payload("github/push_with-new-branch.json", [](nlohmann::json& j) {
    j["ref"] = "refs/heads/ENG-42-fix";
    j["deleted"] = true;
  });
  CHECK(github_outcome("push", deleted).verdict == Verdict::ignored);
}

TEST_CASE("ping and events we do not use are ignored, saying so", "[trackers][github]") {
  const auto ping = github_outcome("ping", tracker_payload("github/ping.json"));
  CHECK(ping.verdict == Verdict::ignored);
  CHECK(ping.why == "GitHub ping: the webhook reaches microalign");
  const auto star = github_outcome("star", R"({"action":"created"})");
  CHECK(star.verdict == Verdict::ignored);
  CHECK(star.why == "GitHub event star is not tracked");
}

TEST_CASE("a delivery without X-GitHub-Delivery is named by its body's hash", "[trackers][github]") {
  auto request = github_delivery("issues", tracker_payload("github/issues_opened.json"));
  request.headers.erase("x-github-delivery");
  const auto first = activity_of(receive(request));
  CHECK(first.delivery_id == "sha256:" + sha256_hex(request.body));
  CHECK(activity_of(receive(request)).delivery_id == first.delivery_id);  // a replay, stored once
}

TEST_CASE("signed but unreadable: 400 with what is wrong", "[trackers][github]") {
  const auto not_json = github_outcome("issues", "{\"action\": \"opened\", ");
  CHECK(not_json.verdict == Verdict::malformed);
  CHECK(not_json.why == "body is not a JSON object");
  CHECK(github_outcome("issues", "[1, 2]").verdict == Verdict::malformed);
  CHECK(github_outcome("issues", std::string(100, '[') + std::string(100, ']')).why ==
        "body nests deeper than 64 levels");

  auto no_event = github_delivery("issues", tracker_payload("github/issues_opened.json"));
  no_event.headers.erase("x-github-event");
  CHECK(receive(no_event).why == "missing X-GitHub-Event header");

  const auto no_number =
      changed_payload("github/pull_request_opened.json", [](nlohmann::json& j) { j["pull_request"]["number"] = "2"; });
  const auto outcome = github_outcome("pull_request", no_number);
  CHECK(outcome.verdict == Verdict::malformed);
  CHECK_FALSE(outcome.activity);
}

TEST_CASE("odd types where strings and objects belong are read as absent, never thrown", "[trackers][github]") {
  const auto body = changed_payload("github/issues_opened.json", [](nlohmann::json& j) {
    j["sender"] = "Codertocat";
    j["issue"]["title"] = 42;
    j["issue"]["updated_at"] = nullptr;
    j["issue"]["html_url"] = nlohmann::json::array({1});
  });
  const auto a = activity_of(github_outcome("issues", body));
  CHECK(a.actor.empty());
  CHECK(a.url.empty());
  CHECK(a.at == received);
  CHECK(a.tickets == Tickets{"codertocat/hello-world#1"});
}
