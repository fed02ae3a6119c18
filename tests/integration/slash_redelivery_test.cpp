// Slack delivers at least once: an envelope it got no acknowledgement for comes again, with the
// same envelope_id and retry_attempt one higher (slack.md: dedupe on event_id / envelope_id).
#include <catch2/catch.hpp>

#include "bot_harness.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

// The acknowledgements of `envelope_id` on the open sockets, in the order each socket got them.
std::vector<nlohmann::json> acks_of(const FakeSlack& slack, const std::string& envelope_id) {
  std::vector<nlohmann::json> acks;
  for (const int id : slack.open_sockets()) {
    for (const auto& frame : slack.socket(id).frames) {
      if (frame.json.is_object() && frame.json.value("envelope_id", "") == envelope_id) acks.push_back(frame.json);
    }
  }
  return acks;
}

std::string receipt_in(const nlohmann::json& ack) {
  const auto payload = ack.find("payload");
  return payload != ack.end() && payload->is_object() ? payload->value("text", std::string{}) : std::string{};
}

}  // namespace

// Regression: a slash command committed by a bot that died before its ack reached Slack was
// stored a second time when Slack redelivered it (found by the crash test: SIGKILL between the
// commit and the ack). A slash command has no event_id, so nothing recognised the redelivery;
// its envelope_id now does.
TEST_CASE("slash command redelivered after its commit is stored once", "[slack][crash]") {
  TestPki pki;
  FakeSlack slack(pki);
  TempDir dir;
  pki.trust();
  BotHarness bot(config_for(slack, dir.path() / "microalign.db"));
  REQUIRE(slack.wait_for_connections(2, 5s));

  auto command = slash_command("env-1", "/status", "ENG-1 on track", "U111", "C111", slack.response_url("r1"));
  slack.send_envelope(command);
  REQUIRE(slack.wait_for_ack("env-1", 3s));
  command["retry_attempt"] = 1;  // as if that ack had been lost
  command["retry_reason"] = "timeout";
  slack.send_envelope(command);
  REQUIRE(eventually([&] { return acks_of(slack, "env-1").size() == 2; }));  // acknowledged again
  // Each acknowledgement carries the receipt: Slack came again because the first did not arrive,
  // and without one the author would post the update a second time.
  for (const auto& ack : acks_of(slack, "env-1"))
    CHECK(receipt_in(ack).starts_with("Saved: status · on_track · ENG-1"));

  CHECK(bot.updates().size() == 1);
  REQUIRE(eventually([&] { return slack.posted_messages().size() == 1; }));
  std::this_thread::sleep_for(200ms);
  CHECK(slack.posted_messages().size() == 1);  // one echo
}
