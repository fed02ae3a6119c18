// What the application counts for the operator, beyond what the use cases' own tests check: each
// platform's series from the start, the background tasks' states, and the outbox's depth and
// oldest message read from storage when a scrape asks.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

TEST_CASE("each platform served shows its series at 0 before anything happens", "[metrics]") {
  AppHarness h({.platforms = {"slack", "teams"}});
  for (const std::string platform : {"slack", "teams"}) {
    const auto label = R"({platform=")" + platform + R"("})";
    CHECK(h.metric("microalign_updates_stored_total" + label) == 0);
    CHECK(h.metric("microalign_decisions_stored_total" + label) == 0);
    CHECK(h.metric("microalign_digests_queued_total" + label) == 0);
    CHECK(h.metric("microalign_nudges_sent_total" + label) == 0);
    CHECK(h.metric("microalign_outbox_pending" + label) == 0);
    CHECK(h.metric(R"(microalign_outbox_sends_total{platform=")" + platform + R"(",outcome="failed"})") == 0);
  }
}

TEST_CASE("every background task is listed, running once started and stopped once stopped", "[metrics][tasks]") {
  AppHarness h({.platforms = {"slack", "teams"}});
  const auto statuses = [&] {
    std::vector<std::pair<std::string, app::TaskState::Status>> out;
    for (const auto& task : h.service().tasks()) out.emplace_back(task.name, task.status);
    return out;
  };
  using Status = app::TaskState::Status;
  CHECK(statuses() == std::vector<std::pair<std::string, Status>>{{"digest_scheduler", Status::not_started},
                                                                  {"nudge_scheduler", Status::not_started},
                                                                  {"housekeeping", Status::not_started},
                                                                  {"outbox_sender_slack", Status::not_started},
                                                                  {"outbox_sender_teams", Status::not_started}});
  CHECK(h.metric(R"(microalign_task_running{task="digest_scheduler"})") == 0);

  h.start();
  REQUIRE(h.run_until([&] {
    const auto now = statuses();
    return std::all_of(now.begin(), now.end(), [](const auto& t) { return t.second == Status::running; });
  }));
  CHECK(h.metric(R"(microalign_task_running{task="outbox_sender_teams"})") == 1);
  CHECK(h.metric(R"(microalign_task_running{task="housekeeping"})") == 1);

  h.stop();
  for (const auto& [name, status] : statuses()) {
    INFO(name);
    CHECK(status == Status::stopped);
  }
  CHECK(h.metric(R"(microalign_task_running{task="nudge_scheduler"})") == 0);
  CHECK(h.metric(R"(microalign_task_failures_total{task="nudge_scheduler"})") == 0);  // stopped, not failed
}

TEST_CASE("the outbox's depth and oldest message are read from storage when observed", "[metrics][outbox]") {
  AppHarness h;
  CHECK(h.metric(R"(microalign_outbox_pending{platform="test"})") == 0);
  TestResponder author;
  h.deliver(status("ENG-42 on track"), author);  // its echo waits: the sender is not running
  h.clock.advance(90s);
  h.deliver(status("ENG-43 done"), author);
  h.clock.advance(30s);
  h.write([&](storage::Store& s) {  // another platform's message, from another process
    storage::OutboxMessage m;
    m.platform = "sandbox";
    m.destination = "C9";
    m.message.fallback = "hi";
    m.created_at = h.clock.now() - 5s;
    m.not_before = m.created_at;
    s.enqueue(m);
  });
  CHECK(h.metric(R"(microalign_outbox_pending{platform="test"})") == 0);  // not until observed

  h.run(h.service().observe(2s));
  CHECK(h.metric(R"(microalign_outbox_pending{platform="test"})") == 2);
  CHECK(h.metric(R"(microalign_outbox_oldest_pending_age_seconds{platform="test"})") == 120);
  CHECK(h.metric(R"(microalign_outbox_pending{platform="sandbox"})") == 1);
  CHECK(h.metric(R"(microalign_outbox_oldest_pending_age_seconds{platform="sandbox"})") == 5);

  SECTION("once sent, nothing is pending") {
    h.start();
    REQUIRE(h.run_until([&] { return !h.platform().sent().empty(); }));
    h.clock.advance(1s);  // the second echo goes a second after the first: same channel
    REQUIRE(h.run_until([&] { return h.pending().empty(); }));
    h.write([](storage::Store& s) {
      for (const auto& m : s.due_messages("sandbox", SysTime::max(), 10)) s.mark_sent(m.id, {"C9", "1"}, m.created_at);
    });
    h.run(h.service().observe(2s));
    CHECK(h.metric(R"(microalign_outbox_pending{platform="test"})") == 0);
    CHECK(h.metric(R"(microalign_outbox_oldest_pending_age_seconds{platform="test"})") == 0);
    CHECK(h.metric(R"(microalign_outbox_pending{platform="sandbox"})") == 0);
  }
  SECTION("storage not answering in time leaves the gauges as they were") {
    h.storage().hold();
    h.run(h.service().observe(50ms));
    CHECK(h.metric(R"(microalign_outbox_pending{platform="test"})") == 2);
    h.storage().recover();
  }
}

TEST_CASE("a write probe says whether storage takes a write, by its deadline whatever storage does",
          "[metrics][health]") {
  AppHarness h;
  CHECK(h.run(app::probe_write(h.storage(), 2s)).empty());
  h.storage().fail("disk I/O error");
  CHECK(h.run(app::probe_write(h.storage(), 2s)) == "disk I/O error");
  h.storage().recover();
  h.storage().hold();  // a busy engine: the probe answers at its deadline
  const auto started = std::chrono::steady_clock::now();
  CHECK(h.run(app::probe_write(h.storage(), 50ms)) == "no answer within 50 ms");
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  h.storage().recover();
}
