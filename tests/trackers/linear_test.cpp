// Linear's deliveries (captured Linear payloads and Linear's own SDK test, SOURCES.md) to the
// TrackerActivity they become, and the one-minute window on their signed timestamp.
#include <catch2/catch.hpp>

#include "deliveries.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace microalign::trackers;
using Verdict = WebhookOutcome::Verdict;
using Tickets = std::vector<std::string>;

TEST_CASE("an issue created in Linear: opened, its key from team and number and URL", "[trackers][linear]") {
  const auto a = activity_of(receive(linear_delivery("linear/issue_create.json")));
  CHECK(a.tracker == Tracker::linear);
  CHECK(a.delivery_id == "234d1a4e-b617-4388-90fe-adc3633d6b72");
  CHECK(a.action == TrackerAction::opened);
  CHECK(a.tickets == Tickets{"KOR-11"});
  CHECK(a.item == "KOR-11");
  CHECK(a.url == "https://linear.app/korosuke613/issue/KOR-11/webhook-test");
  CHECK(a.at == at("2021-01-30T11:19:39.427Z"));
}

TEST_CASE("a Linear issue's identifier and its actor, as today's payloads send them", "[trackers][linear]") {
  const auto a = activity_of(receive(linear_delivery("linear/issue_create.json", received, [](nlohmann::json& j) {
    j["data"]["identifier"] = "ENG-42";
    j["actor"] = {{"id", "80e102b0"}, {"name", "Ana Lima"}, {"type", "user"}};
  })));
  CHECK(a.tickets == Tickets{"ENG-42", "KOR-11"});
  CHECK(a.item == "ENG-42");
  CHECK(a.actor == "Ana Lima");
}

TEST_CASE("a Linear state change: state_changed, closed when completed or canceled, reopened", "[trackers][linear]") {
  const auto moved = activity_of(receive(linear_delivery("linear/issue_update_state.json")));
  CHECK(moved.action == TrackerAction::state_changed);
  CHECK(moved.detail == "Todo");
  CHECK(moved.tickets == Tickets{"KOR-11"});
  CHECK(moved.at == at("2021-01-30T11:24:17.747Z"));  // data.updatedAt

  for (const auto* type : {"completed", "canceled"}) {
    const auto closed =
        activity_of(receive(linear_delivery("linear/issue_update_state.json", received, [&](nlohmann::json& j) {
          j["data"]["state"]["type"] = type;
          j["data"]["state"]["name"] = "Done";
        })));
    CHECK(closed.action == TrackerAction::closed);
    CHECK(closed.detail == "Done");
  }

  const auto reopened =
      activity_of(receive(linear_delivery("linear/issue_update_state.json", received, [](nlohmann::json& j) {
        j["updatedFrom"]["completedAt"] = "2021-01-30T11:25:00.000Z";
      })));
  CHECK(reopened.action == TrackerAction::reopened);
}

TEST_CASE("a Linear assignee change: assigned", "[trackers][linear]") {
  const auto a = activity_of(receive(linear_delivery("linear/issue_update_assignee.json")));
  CHECK(a.action == TrackerAction::assigned);
  CHECK(a.tickets == Tickets{"KOR-11"});
}

TEST_CASE("a Linear update of other fields is ignored, null old values listed or not", "[trackers][linear]") {
  // updatedFrom in these payloads lists fields the update did not change, as null.
  const auto estimate = receive(linear_delivery("linear/issue_update_estimate.json"));
  CHECK(estimate.verdict == Verdict::ignored);
  CHECK(estimate.why == "Linear Issue update changes no state or assignee");
  const auto unchanged_state =
      receive(linear_delivery("linear/issue_update_estimate.json", received, [](nlohmann::json& j) {
        j["updatedFrom"]["stateId"] = j["data"]["stateId"];
        j["updatedFrom"]["assigneeId"] = j["data"]["assigneeId"];
      }));
  CHECK(unchanged_state.verdict == Verdict::ignored);
}

TEST_CASE("a Linear comment created: commented on the issue its URL names", "[trackers][linear]") {
  const auto a = activity_of(receive(linear_delivery("linear/comment_create.json")));
  CHECK(a.action == TrackerAction::commented);
  CHECK(a.tickets == Tickets{"KOR-12"});
  CHECK(a.item == "KOR-12");
  CHECK(a.actor == "user@example.com");
  CHECK(a.url == "https://linear.app/korosuke613/issue/KOR-12/webhook-test-2#comment-5081a82b");
  CHECK(a.at == at("2021-01-30T11:47:17.226Z"));
}

TEST_CASE("a Linear comment whose URL has no workspace names its issue only by identifier", "[trackers][linear]") {
  // Linear's SDK test writes linear.app/issue/LIN-1778/...: real links carry the workspace
  // (linear.app/<workspace>/issue/...), and chat's parser reads only those.
  const auto bare = receive(linear_delivery("linear/sdk_comment_create.json"));
  CHECK(bare.verdict == Verdict::ignored);
  CHECK(bare.why == "linear commented (no item): names no ticket");

  const auto sdk =
      activity_of(receive(linear_delivery("linear/sdk_comment_create.json", received, [](nlohmann::json& j) {
        j["data"]["issue"] = {{"id", "539068e2-ae88-4d09-bd75-22eb4a59612f"}, {"identifier", "LIN-1778"}};
      })));
  CHECK(sdk.tickets == Tickets{"LIN-1778"});
  CHECK(sdk.at == at("2020-01-23T12:53:18.084Z"));
}

TEST_CASE("Linear deliveries we do not use are ignored", "[trackers][linear]") {
  const auto removed =
      receive(linear_delivery("linear/issue_create.json", received, [](nlohmann::json& j) { j["action"] = "remove"; }));
  CHECK(removed.verdict == Verdict::ignored);
  CHECK(removed.why == "Linear Issue remove is not tracked");
  const auto project =
      receive(linear_delivery("linear/issue_create.json", received, [](nlohmann::json& j) { j["type"] = "Project"; }));
  CHECK(project.why == "Linear Project events are not tracked");
  const auto forged_line = receive(
      linear_delivery("linear/issue_create.json", received, [](nlohmann::json& j) { j["type"] = "Project\n200 OK"; }));
  CHECK(forged_line.why == "Linear Project 200 OK events are not tracked");  // one line for the log
  const auto untyped =
      receive(linear_delivery("linear/issue_create.json", received, [](nlohmann::json& j) { j.erase("type"); }));
  CHECK(untyped.verdict == Verdict::malformed);
}

TEST_CASE("a Linear delivery id: the header, else webhookId at its timestamp, else the body's hash",
          "[trackers][linear]") {
  auto request = linear_delivery("linear/issue_create.json", received,
                                 [](nlohmann::json& j) { j["webhookId"] = "0f1e2d3c-webhook"; });
  request.headers.erase("linear-delivery");
  CHECK(activity_of(receive(request)).delivery_id ==
        "0f1e2d3c-webhook@" + std::to_string(received.time_since_epoch().count()));

  auto anonymous = linear_delivery("linear/issue_create.json");
  anonymous.headers.erase("linear-delivery");
  CHECK(activity_of(receive(anonymous)).delivery_id == "sha256:" + sha256_hex(anonymous.body));
}

TEST_CASE("a Linear webhookTimestamp more than a minute off is refused, stale or ahead", "[trackers][linear]") {
  using std::chrono::seconds;
  CHECK(receive(linear_delivery("linear/issue_create.json", received - seconds(60))).verdict == Verdict::activity);
  CHECK(receive(linear_delivery("linear/issue_create.json", received + seconds(60))).verdict == Verdict::activity);

  const auto stale = receive(linear_delivery("linear/issue_create.json", received - seconds(61)));
  CHECK(stale.verdict == Verdict::unauthorized);
  CHECK(stale.why == "Linear webhookTimestamp is 61 s old (more than 60 s)");
  const auto ahead = receive(linear_delivery("linear/issue_create.json", received + std::chrono::hours(2)));
  CHECK(ahead.verdict == Verdict::unauthorized);
  CHECK(ahead.why == "Linear webhookTimestamp is 7200 s ahead (more than 60 s)");
}

TEST_CASE("a Linear delivery without a whole-millisecond webhookTimestamp is refused", "[trackers][linear]") {
  const std::vector<nlohmann::json> odd{nullptr, "1764583200000", 1764583200000.5, 1e300, -9223372036854775807LL};
  for (const auto& stamp : odd) {
    INFO(stamp.dump());
    const auto outcome = receive(linear_delivery("linear/issue_create.json", received, [&](nlohmann::json& j) {
      if (stamp.is_null()) {
        j.erase("webhookTimestamp");
      } else {
        j["webhookTimestamp"] = stamp;
      }
    }));
    CHECK(outcome.verdict == Verdict::unauthorized);
    CHECK_FALSE(outcome.activity);
  }
}

TEST_CASE("a Linear body that is signed but not JSON is malformed, not stale", "[trackers][linear]") {
  std::string body = "{\"type\": \"Issue\"";
  trackers::WebhookRequest request{
      Tracker::linear, {{"linear-signature", hmac_sha256_hex(tracker_secret, body)}}, body};
  CHECK(receive(request).verdict == Verdict::malformed);
}
