// The application for real, with no platform but test ones: SQLite in a temporary directory,
// its commit queue, and app::Service serving TestPlatforms, on one io_context that the test
// thread runs. The calendar is a FakeClock the test moves; waiting (pacing, ticks, deadlines)
// takes real timers, kept short. Events go to the Bot one at a time, each handled to completion.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "microalign/app/clock.hpp"
#include "microalign/app/outbox_sender.hpp"
#include "microalign/app/service.hpp"
#include "microalign/core/metrics.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "test_platform.hpp"

namespace microalign::test {

// A calendar that stands still until the test moves it. Copies of clock() read the same time.
class FakeClock {
 public:
  explicit FakeClock(SysTime start);
  app::Clock clock() const;
  SysTime now() const;
  void advance(std::chrono::milliseconds);
  void set(SysTime);
  // From now on, until recover(), reading clock() throws: a time source gone wrong, which every
  // component that reads the time meets (now() still answers the test).
  void fail();
  void recover();

 private:
  std::shared_ptr<std::atomic<SysTime::rep>> ms_;
  std::shared_ptr<std::atomic<bool>> failing_ = std::make_shared<std::atomic<bool>>(false);
};

// The storage port's unit of work, handed to the engine as it comes, or — when the test says —
// failing at once (a full disk), or held back without starting (a busy engine, whose deadline
// withdraws the work).
class SwitchableTransactions final : public storage::Transactions {
 public:
  explicit SwitchableTransactions(storage::Transactions& engine) : engine_(engine) {}

  std::shared_ptr<storage::Ticket> submit(Work, Done) override;

  // How many pieces of work were submitted so far: how often the application went to storage.
  std::size_t submitted() const { return submitted_; }

  void fail(std::string error = "disk I/O error");  // from now on
  void hold();                                      // from now on
  // Back to normal; work held and not withdrawn meanwhile goes to the engine now.
  void recover();

 private:
  struct Held {
    Work work;
    Done done;
    std::shared_ptr<storage::Ticket> ticket;
  };
  storage::Transactions& engine_;
  std::optional<std::string> failing_;
  bool holding_ = false;
  std::deque<Held> held_;
  std::size_t submitted_ = 0;
};

// Wednesday 10 June 2026, 10:00 UTC: a working day, in working hours.
SysTime default_start();

// Scheduler ticks short enough that a scheduler sees the clock move within milliseconds.
app::ServiceOptions quick_service_options();

struct AppHarnessOptions {
  SysTime start = default_start();
  std::vector<std::string> platforms{"test"};  // the TestPlatforms the Service serves, by name
  TestPlatform::Options platform{};            // for each of them (the harness names them and sets their clock)
  app::ServiceOptions service = quick_service_options();
  // The application's clock, when not `clock` (which stands still until the test moves it): for
  // a test of timing, app::clock_starting_at(start), which runs at the real pace.
  std::optional<app::Clock> app_clock{};
};

class AppHarness {
 public:
  explicit AppHarness(AppHarnessOptions = {});
  ~AppHarness();
  AppHarness(const AppHarness&) = delete;
  AppHarness& operator=(const AppHarness&) = delete;

  FakeClock clock;

  TestPlatform& platform(std::string_view name = "test");
  app::Bot& bot() { return service_->bot(); }
  app::Service& service() { return *service_; }
  // What the application counted (its own registry, not the process's), and one series' value
  // as a scrape would show it: metric(R"(microalign_updates_stored_total{platform="test"})").
  metrics::Registry& metrics() { return registry_; }
  std::optional<double> metric(std::string_view series) const;
  SwitchableTransactions& storage() { return *switch_; }  // what the application writes through

  // ---- Running
  // The Service's own work (outbox senders, digest and nudge schedulers, housekeeping), from now
  // until stop() or the end of the test. Until then the application only answers events.
  void start();
  void stop();

  // An outbox sender of its own for `platform` (one the Service does not serve, or before
  // start()), running from now on: advance() wakes it, so a test can watch the sender's
  // decisions step by step on the fake clock.
  app::OutboxSender& start_sender(TestPlatform&);
  // Moves the clock, and wakes the senders start_sender() started.
  void advance(std::chrono::milliseconds);

  // Runs the loop until `done` holds (true), or `limit` of real time passes (false).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(5));
  // Runs the loop for a while: for seeing that nothing happens.
  void run_for(std::chrono::milliseconds);

  // Runs `task` on the loop, with everything else that runs there, until it completes; throws
  // what it threw, or std::runtime_error when it takes longer than `limit`.
  template <typename T>
  T run(boost::asio::awaitable<T> task, std::chrono::milliseconds limit = std::chrono::seconds(10));

  // ---- People acting on a platform (by default the first one served): each event handled to
  // completion
  void deliver(app::UpdatePosted, app::Responder&, app::Platform* on = nullptr);
  void deliver(app::MessageToBot, app::Responder&, app::Platform* on = nullptr);
  void deliver(app::PossibleAnswer, app::Responder&, app::Platform* on = nullptr);
  void deliver(app::CommandIssued, app::Responder&, app::Platform* on = nullptr);
  void deliver(app::ButtonPressed, app::ButtonResponder&, app::Platform* on = nullptr);
  void deliver(app::FormSubmitted, app::FormResponder&, app::Platform* on = nullptr);
  void deliver(app::MembershipChanged, app::Responder&, app::Platform* on = nullptr);

  // ---- The store, through the storage port (one transaction each, straight to the engine:
  // these work while storage() fails)
  template <typename Fn>
  auto read(Fn fn) -> std::invoke_result_t<Fn, storage::Store&>;
  void write(const std::function<void(storage::Store&)>& fn) { read(fn); }

  // What is pending in the platform's outbox, in the order it would be sent (replies waiting
  // for their thread's parent left out).
  std::vector<storage::OutboxMessage> pending(std::string_view platform = "test");
  std::vector<Update> updates();

 private:
  app::Platform& on_or_default(app::Platform*);
  void spawn_background(boost::asio::awaitable<void>);
  void transaction(const std::function<void(storage::Store&)>&);

  metrics::Registry registry_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::CommitQueue> engine_;
  std::unique_ptr<SwitchableTransactions> switch_;
  boost::asio::io_context io_;
  std::vector<std::unique_ptr<TestPlatform>> platforms_;
  std::unique_ptr<app::Service> service_;
  std::vector<std::unique_ptr<app::OutboxSender>> senders_;
  int running_ = 0;  // background tasks not finished yet (the Service's run, own senders)
  bool started_ = false;
};

template <typename T>
T AppHarness::run(boost::asio::awaitable<T> task, std::chrono::milliseconds limit) {
  using Result = std::conditional_t<std::is_void_v<T>, bool, T>;
  auto result = std::make_shared<std::optional<Result>>();
  auto failure = std::make_shared<std::exception_ptr>();
  auto finished = std::make_shared<bool>(false);
  if constexpr (std::is_void_v<T>) {
    boost::asio::co_spawn(io_, std::move(task), [=](std::exception_ptr e) {
      *failure = e;
      *finished = true;
    });
  } else {
    boost::asio::co_spawn(io_, std::move(task), [=](std::exception_ptr e, T value) {
      *failure = e;
      if (!e) *result = std::move(value);
      *finished = true;
    });
  }
  if (!run_until([&] { return *finished; }, limit)) throw std::runtime_error("the application did not finish in time");
  if (*failure) std::rethrow_exception(*failure);
  if constexpr (!std::is_void_v<T>) return std::move(**result);
}

template <typename Fn>
auto AppHarness::read(Fn fn) -> std::invoke_result_t<Fn, storage::Store&> {
  using T = std::invoke_result_t<Fn, storage::Store&>;
  if constexpr (std::is_void_v<T>) {
    transaction([&](storage::Store& s) { fn(s); });
  } else {
    std::optional<T> result;
    transaction([&](storage::Store& s) { result = fn(s); });
    return std::move(*result);
  }
}

}  // namespace microalign::test
