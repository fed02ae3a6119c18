#include "app_harness.hpp"

#include <unistd.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "../metrics_text.hpp"
#include "microalign/core/log.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// ---- FakeClock

FakeClock::FakeClock(SysTime start)
    : ms_(std::make_shared<std::atomic<SysTime::rep>>(start.time_since_epoch().count())) {}

app::Clock FakeClock::clock() const {
  return [ms = ms_, failing = failing_] {
    if (failing->load()) throw std::runtime_error("the clock cannot be read");
    return SysTime{std::chrono::milliseconds{ms->load()}};
  };
}

SysTime FakeClock::now() const { return SysTime{std::chrono::milliseconds{ms_->load()}}; }

void FakeClock::advance(std::chrono::milliseconds by) { *ms_ += by.count(); }

void FakeClock::set(SysTime at) { *ms_ = at.time_since_epoch().count(); }

void FakeClock::fail() { *failing_ = true; }

void FakeClock::recover() { *failing_ = false; }

// ---- SwitchableTransactions

std::shared_ptr<storage::Ticket> SwitchableTransactions::submit(Work work, Done done) {
  ++submitted_;
  if (failing_) {
    auto ticket = std::make_shared<storage::Ticket>();
    ticket->take();  // finished: it can no longer be withdrawn
    if (done) done(storage::CommitOutcome{*failing_});
    return ticket;
  }
  if (holding_) {
    auto ticket = std::make_shared<storage::Ticket>();
    held_.push_back({std::move(work), std::move(done), ticket});
    return ticket;
  }
  return engine_.submit(std::move(work), std::move(done));
}

void SwitchableTransactions::fail(std::string error) { failing_ = std::move(error); }

void SwitchableTransactions::hold() { holding_ = true; }

void SwitchableTransactions::recover() {
  failing_.reset();
  holding_ = false;
  for (auto& held : held_) {
    if (held.ticket->take()) engine_.submit(std::move(held.work), std::move(held.done));
  }
  held_.clear();
}

// ---- AppHarness

SysTime default_start() {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days{2026y / June / 10} + 10h);
}

app::ServiceOptions quick_service_options() {
  app::ServiceOptions options;
  options.digest_max_sleep = 20ms;
  options.nudge_tick = 20ms;
  return options;
}

namespace {

std::filesystem::path make_private_dir() {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("microalign-app-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                    std::to_string(std::random_device{}()));
  std::filesystem::create_directory(dir);
  return dir;
}

}  // namespace

AppHarness::AppHarness(AppHarnessOptions options) : clock(options.start), dir_(make_private_dir()) {
  // MICROALIGN_LOG=debug shows the application's log lines while a test runs.
  const char* level = std::getenv("MICROALIGN_LOG");
  log::set_level(level ? log::level_from_string(level).value_or(log::Level::warn) : log::Level::warn);

  store_ = storage::SqliteStore::open((dir_ / "microalign.db").string());
  engine_ = std::make_unique<storage::CommitQueue>(*store_);
  switch_ = std::make_unique<SwitchableTransactions>(*engine_);
  const auto app_clock = options.app_clock.value_or(clock.clock());
  service_ = std::make_unique<app::Service>(io_.get_executor(), *switch_, app_clock, options.service, registry_);
  for (const auto& name : options.platforms) {
    auto platform = options.platform;
    platform.name = name;
    platform.clock = app_clock;
    platforms_.push_back(std::make_unique<TestPlatform>(std::move(platform)));
    service_->serve(*platforms_.back());
  }
}

AppHarness::~AppHarness() {
  stop();
  engine_->stop();  // every commit's outcome is in the loop's queue, which goes with io_
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::optional<double> AppHarness::metric(std::string_view series) const {
  return sample(registry_.render_prometheus(), series);
}

TestPlatform& AppHarness::platform(std::string_view name) {
  for (auto& p : platforms_) {
    if (p->name() == name) return *p;
  }
  throw std::invalid_argument("no test platform named " + std::string(name));
}

void AppHarness::spawn_background(asio::awaitable<void> task) {
  ++running_;
  asio::co_spawn(io_, std::move(task), [this](std::exception_ptr failure) {
    --running_;
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      log::error("test", std::string("a background task stopped on an error: ") + e.what());
    }
  });
}

void AppHarness::start() {
  if (started_) return;
  started_ = true;
  spawn_background(service_->run());
}

void AppHarness::stop() {
  if (started_) service_->stop();
  for (auto& sender : senders_) sender->stop();
  if (!run_until([this] { return running_ == 0; }, 10s)) log::error("test", "the application did not stop in time");
}

app::OutboxSender& AppHarness::start_sender(TestPlatform& platform) {
  senders_.push_back(
      std::make_unique<app::OutboxSender>(io_.get_executor(), platform, *switch_, clock.clock(), registry_));
  spawn_background(senders_.back()->run());
  return *senders_.back();
}

void AppHarness::advance(std::chrono::milliseconds by) {
  clock.advance(by);
  for (auto& sender : senders_) sender->wake();
}

bool AppHarness::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    io_.restart();
    // Nothing to run at all (no timer, no work in storage): let the storage thread get on.
    if (io_.run_one_for(10ms) == 0 && io_.stopped()) std::this_thread::sleep_for(1ms);
  }
  return true;
}

void AppHarness::run_for(std::chrono::milliseconds how_long) {
  const auto until = std::chrono::steady_clock::now() + how_long;
  run_until([&] { return std::chrono::steady_clock::now() >= until; }, how_long + 1s);
}

app::Platform& AppHarness::on_or_default(app::Platform* on) { return on ? *on : *platforms_.front(); }

void AppHarness::deliver(app::UpdatePosted e, app::Responder& r, app::Platform* on) {
  run(bot().on_update(on_or_default(on), std::move(e), r));
}

void AppHarness::deliver(app::MessageToBot e, app::Responder& r, app::Platform* on) {
  run(bot().on_message(on_or_default(on), std::move(e), r));
}

void AppHarness::deliver(app::PossibleAnswer e, app::Responder& r, app::Platform* on) {
  run(bot().on_possible_answer(on_or_default(on), std::move(e), r));
}

void AppHarness::deliver(app::CommandIssued e, app::Responder& r, app::Platform* on) {
  run(bot().on_command(on_or_default(on), std::move(e), r));
}

void AppHarness::deliver(app::ButtonPressed e, app::ButtonResponder& r, app::Platform* on) {
  run(bot().on_button(on_or_default(on), std::move(e), r));
}

void AppHarness::deliver(app::FormSubmitted e, app::FormResponder& r, app::Platform* on) {
  run(bot().on_form(on_or_default(on), std::move(e), r));
}

void AppHarness::deliver(app::MembershipChanged e, app::Responder& r, app::Platform* on) {
  run(bot().on_membership(on_or_default(on), std::move(e), r));
}

void AppHarness::transaction(const std::function<void(storage::Store&)>& fn) {
  const auto outcome = storage::run_and_wait(*engine_, fn);
  if (!outcome.ok()) throw std::runtime_error("the test's transaction failed: " + outcome.error);
}

std::vector<storage::OutboxMessage> AppHarness::pending(std::string_view platform) {
  const auto far_ahead = clock.now() + std::chrono::days(365);
  return read([&](storage::Store& s) { return s.due_messages(platform, far_ahead, 1000); });
}

std::vector<Update> AppHarness::updates() {
  return read([](storage::Store& s) { return s.updates({}); });
}

}  // namespace microalign::test
