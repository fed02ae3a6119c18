// Group commit: grouping, per-item failure, failure of the commit itself, withdrawal, shutdown,
// a batch run again after a conflict, several connections (workers) sharing the work.
// Each test first submits a "gate" item that holds the worker until the test has queued what it
// needs, so which items share a batch is decided by the test, not by timing. What the callbacks
// touch is declared before the queue, so that it outlives the queue's final drain.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "engines.hpp"
#include "fixtures.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/storage/sqlite_store.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::make_update;
using test::TempDir;
using test::TestDatabase;

namespace {

// Holds the worker inside a batch of its own until opened. Returns once the worker holds it.
class Gate {
 public:
  explicit Gate(CommitQueue& queue) {
    auto entered = std::make_shared<std::promise<void>>();
    auto holding = entered->get_future();
    ticket_ = queue.submit(
        [entered, opened = open_.get_future().share()](Store&) {
          entered->set_value();
          opened.wait();
        },
        nullptr);
    holding.wait();
  }
  ~Gate() { open(); }  // a failed test must not leave the worker stuck (and the queue unjoinable)
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  void open() {
    if (!opened_) open_.set_value();
    opened_ = true;
  }
  Ticket& ticket() { return *ticket_; }

 private:
  std::promise<void> open_;
  bool opened_ = false;
  std::shared_ptr<Ticket> ticket_;
};

CommitQueue::Work insert(std::string text) {
  return [text = std::move(text)](Store& s) { s.insert_update(make_update(text)); };
}

// Collects outcomes by name, from the worker thread.
class Outcomes {
 public:
  CommitQueue::Done record(std::string name) {
    return [this, name = std::move(name)](const CommitOutcome& o) {
      std::lock_guard lock(mutex_);
      errors_[name] = o.error;
    };
  }
  std::string error(const std::string& name) {
    std::lock_guard lock(mutex_);
    REQUIRE(errors_.count(name) == 1);
    return errors_[name];
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return errors_.size();
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> errors_;
};

std::vector<std::string> texts(Engine& store) {
  std::vector<std::string> out;
  for (const auto& u : store.updates({})) out.push_back(u.parsed.text);
  return out;
}

}  // namespace

TEST_CASE("writes from many threads are grouped into few commits") {
  TestDatabase database;
  auto store = database.open();
  std::atomic<int> ok{0}, failed{0};
  CommitQueue queue(*store, 512);
  Gate gate(queue);
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        queue.submit(insert(std::to_string(t) + "/" + std::to_string(i)),
                     [&](const CommitOutcome& o) { ++(o.ok() ? ok : failed); });
      }
    });
  }
  for (auto& p : producers) p.join();
  gate.open();
  queue.stop();

  CHECK(ok == 1000);
  CHECK(failed == 0);
  CHECK(queue.items() == 1001);   // the gate counts too
  CHECK(queue.batches() == 3);    // the gate's, then 1000 items at 512 a batch
  CHECK(store->updates({}).size() == 1000);
}

TEST_CASE("an item that fails is undone alone, and the rest of its batch commits") {
  TestDatabase database;
  auto store = database.open();
  Outcomes outcomes;
  CommitQueue queue(*store);
  Gate gate(queue);
  queue.submit(insert("a"), outcomes.record("a"));
  queue.submit(
      [](Store& s) {
        s.insert_update(make_update("b"));  // written, then undone with the savepoint
        throw std::runtime_error("b went wrong");
      },
      outcomes.record("b"));
  queue.submit(insert("c"), outcomes.record("c"));
  gate.open();
  queue.stop();

  CHECK(outcomes.error("a").empty());
  CHECK(outcomes.error("b") == "b went wrong");
  CHECK(outcomes.error("c").empty());
  CHECK(queue.batches() == 2);
  CHECK(texts(*store) == std::vector<std::string>{"a", "c"});
}

TEST_CASE("when the commit itself fails, every item of the batch reports it", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  Outcomes outcomes;
  std::promise<void> batch_done;
  CommitQueue queue(*store);
  Gate gate(queue);
  queue.submit(insert("a"), outcomes.record("a"));
  // A deferred foreign key violation passes the item's savepoint and fails only at COMMIT.
  queue.submit(
      [](Store& s) {
        auto& db = static_cast<SqliteStore&>(s).sql();  // this engine's own test
        db.exec("PRAGMA defer_foreign_keys = ON");
        db.exec("INSERT INTO update_tickets VALUES (999999, 0, 'ENG-1')");
      },
      outcomes.record("orphan"));
  queue.submit(insert("c"), [&, record = outcomes.record("c")](const CommitOutcome& o) {
    record(o);
    batch_done.set_value();
  });
  gate.open();
  batch_done.get_future().wait();
  queue.submit(insert("after"), outcomes.record("after"));
  queue.stop();

  for (const char* item : {"a", "orphan", "c"}) {
    CHECK_THAT(outcomes.error(item), Catch::Contains("FOREIGN KEY constraint failed"));
  }
  CHECK(outcomes.error("after").empty());  // the connection recovered for the next batch
  CHECK(texts(*store) == std::vector<std::string>{"after"});
}

TEST_CASE("each batch's commit time and size are counted, and a failed commit too", "[metrics][sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));  // its commits fail on demand (deferred keys)
  metrics::Registry registry;
  {
    CommitQueue queue(*store, 512, registry);
    Gate gate(queue);
    queue.submit(insert("a"), nullptr);
    queue.submit(insert("b"), nullptr);
    queue.submit(insert("c"), nullptr);
    queue.submit(
        [](Store& s) {
          auto& db = static_cast<SqliteStore&>(s).sql();
          db.exec("PRAGMA defer_foreign_keys = ON");
          db.exec("INSERT INTO update_tickets VALUES (999999, 0, 'ENG-1')");  // fails at COMMIT
        },
        nullptr);
    gate.open();
    queue.stop();
  }
  // Two batches committed: the gate alone, then a, b, c with the orphan — whose COMMIT failed.
  const auto commits =
      registry.histogram("microalign_storage_commit_seconds", "", metrics::buckets::commit()).with({}).snapshot();
  CHECK(commits.count() == 1);  // the gate's; the failed one is counted as a failure instead
  CHECK(commits.sum > 0);
  auto& sizes = registry.histogram("microalign_storage_batch_size", "", metrics::buckets::batch()).with({});
  CHECK(sizes.snapshot().cumulative == std::vector<std::uint64_t>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
  CHECK(registry.counter("microalign_storage_commit_failures_total", "").with({}).value() == 1);
  const auto text = registry.render_prometheus();
  CHECK_THAT(text, Catch::Contains("# TYPE microalign_storage_commit_seconds histogram\n"));
  CHECK_THAT(text, Catch::Contains("microalign_storage_batch_size_count 1\n"));
}

TEST_CASE("an item withdrawn before the worker takes it never runs") {
  TestDatabase database;
  auto store = database.open();
  std::atomic<bool> ran = false, reported = false;
  CommitQueue queue(*store);
  Gate gate(queue);
  auto ticket = queue.submit([&](Store&) { ran = true; }, [&](const CommitOutcome&) { reported = true; });
  CHECK(ticket->withdraw());
  CHECK_FALSE(ticket->withdraw());
  gate.open();
  queue.stop();
  CHECK_FALSE(ran);
  CHECK_FALSE(reported);
  CHECK_FALSE(gate.ticket().withdraw());  // it ran: too late
  CHECK(queue.items() == 1);
}

TEST_CASE("stopping finishes what was submitted, then refuses new work") {
  TestDatabase database;
  auto store = database.open();
  Outcomes outcomes;
  CommitQueue queue(*store);
  Gate gate(queue);
  for (int i = 0; i < 10; ++i) queue.submit(insert(std::to_string(i)), outcomes.record(std::to_string(i)));
  gate.open();
  queue.stop();
  CHECK(outcomes.size() == 10);
  CHECK(store->updates({}).size() == 10);

  auto late = queue.submit(insert("late"), outcomes.record("late"));
  CHECK(outcomes.error("late") == "storage is shutting down");
  CHECK_FALSE(late->withdraw());
  CHECK(store->updates({}).size() == 10);
}

TEST_CASE("a batch that collided with another transaction runs again, whole, and reports how it went then") {
  TestDatabase database;
  auto store = database.open();
  Outcomes outcomes;
  std::atomic<int> runs{0};
  {
    CommitQueue queue(*store);
    Gate gate(queue);
    queue.submit(insert("before"), outcomes.record("before"));
    queue.submit(
        [&](Store& s) {
          s.insert_update(make_update("collides once"));
          if (++runs == 1) throw StorageConflict("deadlock detected");
        },
        outcomes.record("collides"));
    gate.open();
  }
  CHECK(runs == 2);
  CHECK(outcomes.error("before").empty());
  CHECK(outcomes.error("collides").empty());
  CHECK(texts(*store) == std::vector<std::string>{"before", "collides once"});  // each once
}

TEST_CASE("a conflict that does not go away is reported after a few runs, and nothing of the batch is stored") {
  TestDatabase database;
  auto store = database.open();
  Outcomes outcomes;
  std::atomic<int> runs{0};
  {
    CommitQueue queue(*store);
    Gate gate(queue);
    queue.submit(insert("innocent"), outcomes.record("innocent"));
    queue.submit(
        [&](Store&) {
          ++runs;
          throw StorageConflict("could not serialize access");
        },
        outcomes.record("collides"));
    gate.open();
  }
  CHECK(runs == 5);
  CHECK(outcomes.error("collides") == "could not serialize access");
  CHECK(outcomes.error("innocent") == "could not serialize access");
  CHECK(texts(*store).empty());
}

TEST_CASE("several connections share the work, and everything submitted is committed once") {
  TestDatabase database;
  // SQLite's engine has one connection (one writer at a time); PostgreSQL's a pool.
  const int workers = database.postgres() ? 3 : 1;
  std::vector<std::unique_ptr<Engine>> connections;
  std::vector<Engine*> pool;
  for (int i = 0; i < workers; ++i) pool.push_back(connections.emplace_back(database.open()).get());
  std::atomic<int> ok{0};
  {
    CommitQueue queue(pool, 16);
    std::vector<std::thread> producers;
    for (int t = 0; t < 4; ++t) {
      producers.emplace_back([&, t] {
        for (int i = 0; i < 100; ++i) {
          // Every update names the same two tickets, in either order: concurrent batches lock
          // their summary rows against each other (and deadlock now and then on PostgreSQL).
          auto update = make_update(std::to_string(t) + "/" + std::to_string(i));
          update.parsed.tickets =
              i % 2 == 0 ? std::vector<std::string>{"ENG-1", "ENG-2"} : std::vector<std::string>{"ENG-2", "ENG-1"};
          queue.submit([update](Store& s) { s.insert_update(update); },
                       [&](const CommitOutcome& o) { ok += o.ok() ? 1 : 0; });
        }
      });
    }
    for (auto& p : producers) p.join();
  }
  CHECK(ok == 400);
  CHECK(texts(*connections.front()).size() == 400);
}

TEST_CASE("a connection the server closed is opened again, and the work goes on") {
  TestDatabase database;
  if (!database.postgres()) return;  // a SQLite file has no connection to lose
  auto store = database.open();
  auto admin = database.open();
  Outcomes outcomes;
  {
    CommitQueue queue(*store);
    queue.submit(insert("before"), outcomes.record("before"));
    queue.stop();
  }
  const auto pid = test::ask(*store, "SELECT pg_backend_pid()");
  CHECK(test::ask(*admin, "SELECT pg_terminate_backend(" + pid + ")") == "t");
  {
    CommitQueue queue(*store);
    queue.submit(insert("after"), outcomes.record("after"));
    queue.stop();
  }
  CHECK(outcomes.error("after").empty());
  CHECK(test::ask(*store, "SELECT pg_backend_pid()") != pid);
  CHECK(texts(*store) == std::vector<std::string>{"before", "after"});
}
