// Background work under supervision: a task that throws is logged, shown as restarting (in
// Service::tasks(), which /readyz reads, and in the metrics) and started again after a capped,
// doubling backoff; stop() ends every task at once, even one waiting to start again. The failure
// comes through a real port: the clock, which every background task reads as it starts.
#include <algorithm>

#include "microalign/app/restart_policy.hpp"
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

using Status = app::TaskState::Status;

const std::vector<std::string> every_task{"digest_scheduler", "nudge_scheduler", "housekeeping", "outbox_sender_test"};

// Restarts quick enough for a test, and a backoff that visibly grows.
AppHarnessOptions quick_restarts() {
  AppHarnessOptions options;
  options.service.restarts = {.first = 20ms, .cap = 80ms, .healthy_after = 10s};
  return options;
}

bool all_tasks(AppHarness& h, const std::function<bool(const app::TaskState&)>& holds) {
  const auto tasks = h.service().tasks();
  return std::all_of(tasks.begin(), tasks.end(), holds);
}

double series(AppHarness& h, std::string_view family, const std::string& task) {
  const auto found = h.metric(std::string(family) + R"({task=")" + task + R"("})");
  INFO(family << " " << task);
  REQUIRE(found);
  return *found;
}

}  // namespace

TEST_CASE("a restart waits twice as long after each failure in a row, up to its cap", "[supervision]") {
  const app::RestartPolicy policy;  // the defaults: 1 s doubling to 60 s
  CHECK(app::restart_delay(policy, 1) == 1s);
  CHECK(app::restart_delay(policy, 2) == 2s);
  CHECK(app::restart_delay(policy, 3) == 4s);
  CHECK(app::restart_delay(policy, 6) == 32s);
  CHECK(app::restart_delay(policy, 7) == 60s);
  CHECK(app::restart_delay(policy, 1000) == 60s);
}

TEST_CASE("every background task that fails is started again, and is seen failing until it runs again",
          "[supervision][metrics]") {
  AppHarness h(quick_restarts());
  h.clock.fail();  // every task reads the time first thing: each fails as it starts
  h.start();
  REQUIRE(h.run_until([&] { return all_tasks(h, [](const auto& t) { return t.restarts >= 2; }); }));

  REQUIRE(h.run_until([&] { return all_tasks(h, [](const auto& t) { return t.status == Status::restarting; }); }));
  for (const auto& task : h.service().tasks()) {
    INFO(task.name);
    CHECK(task.last_failure);
  }
  for (const auto& task : every_task) {
    CHECK(series(h, "microalign_task_running", task) == 0);
    CHECK(series(h, "microalign_task_restarts_total", task) >= 2);
    CHECK(series(h, "microalign_task_failures_total", task) >= 3);  // the first start, and each restart
    CHECK(series(h, "microalign_task_last_failure_timestamp_seconds", task) > 0);
  }

  h.clock.recover();
  REQUIRE(h.run_until([&] { return all_tasks(h, [](const auto& t) { return t.status == Status::running; }); }));
  const auto restarts = series(h, "microalign_task_restarts_total", "digest_scheduler");
  h.run_for(200ms);  // more than the longest backoff: running still, not failing again
  CHECK(all_tasks(h, [](const auto& t) { return t.status == Status::running; }));
  CHECK(series(h, "microalign_task_restarts_total", "digest_scheduler") == restarts);
  for (const auto& task : every_task) CHECK(series(h, "microalign_task_running", task) == 1);

  // And they work: the outbox sender, started again, sends an update's echo.
  TestResponder author;
  h.deliver(status("ENG-42 on track"), author);
  CHECK(h.run_until([&] { return !h.platform().sent().empty(); }));
}

TEST_CASE("a failing task's backoff grows, capped", "[supervision]") {
  AppHarness h(quick_restarts());
  h.clock.fail();
  h.start();
  const auto started = std::chrono::steady_clock::now();
  // 20 + 40 + 80 + 80 ms: not sooner, since each wait doubles up to 80 ms.
  REQUIRE(h.run_until([&] { return h.service().tasks().front().restarts >= 4; }));
  CHECK(std::chrono::steady_clock::now() - started >= 220ms);
}

TEST_CASE("stop() ends a task waiting to start again at once, not after its backoff", "[supervision]") {
  auto options = quick_restarts();
  options.service.restarts.first = 1h;
  AppHarness h(options);
  h.clock.fail();
  h.start();
  REQUIRE(h.run_until([&] { return all_tasks(h, [](const auto& t) { return t.status == Status::restarting; }); }));

  const auto stopping = std::chrono::steady_clock::now();
  h.stop();
  CHECK(std::chrono::steady_clock::now() - stopping < 2s);
  for (const auto& task : h.service().tasks()) {
    INFO(task.name);
    CHECK(task.status == Status::stopped);
    CHECK(task.restarts == 0);
  }
}

TEST_CASE("a task that returns as the service stops is not started again", "[supervision]") {
  AppHarness h(quick_restarts());
  h.start();
  REQUIRE(h.run_until([&] { return all_tasks(h, [](const auto& t) { return t.status == Status::running; }); }));
  h.stop();
  for (const auto& task : h.service().tasks()) {
    INFO(task.name);
    CHECK(task.status == Status::stopped);
    CHECK(task.restarts == 0);
    CHECK_FALSE(task.last_failure);
  }
}
