// Nothing acknowledged may be lost when the process dies without closing the database. A child
// process writes through the commit queue and is killed with SIGKILL (no destructors, no close,
// no checkpoint); the parent then opens the file and looks for every acknowledged update.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <future>
#include <semaphore>

#include "fixtures.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/storage/sqlite_store.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::make_update;
using test::TempDir;

namespace {

// What the child reports for each acknowledged write; small enough for an atomic pipe write.
struct Ack {
  std::int64_t n;
  std::int64_t update_id;
};

std::string text_of(std::int64_t n) { return "update " + std::to_string(n); }

// Submits update n, reporting its id to `acked` once the commit is durable.
void submit_update(CommitQueue& queue, std::int64_t n,
                   std::function<void(const CommitOutcome&, Ack)> acked) {
  auto id = std::make_shared<std::int64_t>(0);
  queue.submit([n, id](Store& s) { *id = s.insert_update(make_update(text_of(n))).update_id; },
               [n, id, acked](const CommitOutcome& o) { acked(o, Ack{n, *id}); });
}

// A child that hangs is ended by SIGALRM, which the parent reports as a failure.
constexpr unsigned child_deadline_s = 30;

[[noreturn]] void die() {
  ::kill(::getpid(), SIGKILL);
  ::_exit(99);  // not reached
}

// Child: commits `count` updates, waits for every acknowledgement, then dies.
[[noreturn]] void commit_then_die(const std::string& path, int count) {
  ::alarm(child_deadline_s);
  try {
    auto store = SqliteStore::open(path);
    auto queue = new CommitQueue(*store);  // never destroyed: the process is killed
    std::promise<void> all_acked;
    std::atomic<int> left = count;
    for (int n = 0; n < count; ++n) {
      submit_update(*queue, n, [&](const CommitOutcome& o, Ack) {
        if (!o.ok()) ::_exit(2);
        if (--left == 0) all_acked.set_value();
      });
    }
    all_acked.get_future().wait();
    die();
  } catch (...) {
    ::_exit(3);
  }
}

// Child: writes updates without end, a bounded number in flight, reporting each acknowledged one
// on `pipe_out`, until the parent kills it.
[[noreturn]] void write_until_killed(const std::string& path, int pipe_out) {
  ::alarm(child_deadline_s);
  try {
    auto store = SqliteStore::open(path);
    auto queue = new CommitQueue(*store, 64);
    std::counting_semaphore<> in_flight(256);
    for (std::int64_t n = 0;; ++n) {
      in_flight.acquire();
      submit_update(*queue, n, [&](const CommitOutcome& o, Ack ack) {
        if (o.ok() && ::write(pipe_out, &ack, sizeof ack) != sizeof ack) ::_exit(4);
        in_flight.release();
      });
    }
  } catch (...) {
    ::_exit(3);
  }
}

// Reads whole acks until the pipe closes or `enough` have arrived; gives up after a while.
void read_acks(int pipe_in, std::vector<Ack>& acks, std::size_t enough) {
  std::vector<char> buffer;
  char chunk[4096];
  while (acks.size() < enough) {
    pollfd p{pipe_in, POLLIN, 0};
    if (::poll(&p, 1, 30'000) <= 0) return;
    const ssize_t got = ::read(pipe_in, chunk, sizeof chunk);
    if (got <= 0) return;
    buffer.insert(buffer.end(), chunk, chunk + got);
    std::size_t whole = buffer.size() / sizeof(Ack);
    for (std::size_t i = 0; i < whole; ++i) {
      Ack ack;
      std::memcpy(&ack, buffer.data() + i * sizeof(Ack), sizeof ack);
      acks.push_back(ack);
    }
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(whole * sizeof(Ack)));
  }
}

int wait_for(pid_t child) {
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  return status;
}

}  // namespace

TEST_CASE("updates acknowledged before the process is killed are there after reopening", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  constexpr int count = 200;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) commit_then_die(path, count);

  const int status = wait_for(child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
  // The commits are still in the write-ahead log: reopening has to recover them from it.
  REQUIRE(std::filesystem::file_size(path + "-wal") > 0);

  auto store = SqliteStore::open(path);
  const auto updates = store->updates({});
  REQUIRE(updates.size() == count);
  for (std::size_t n = 0; n < updates.size(); ++n) CHECK(updates[n].parsed.text == text_of(n));
}

TEST_CASE("a process killed while writing leaves a sound database with every acknowledged update", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    write_until_killed(path, fds[1]);
  }
  ::close(fds[1]);

  std::vector<Ack> acks;
  read_acks(fds[0], acks, 500);  // let it get going, then kill it mid-stream
  ::kill(child, SIGKILL);
  read_acks(fds[0], acks, SIZE_MAX);  // acks written before it died
  ::close(fds[0]);
  const int status = wait_for(child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(acks.size() >= 500);

  auto store = SqliteStore::open(path);
  CHECK(store->sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
  for (const Ack& ack : acks) {
    const auto found = store->find_update(ack.update_id);
    REQUIRE(found);
    CHECK(found->parsed.text == text_of(ack.n));
  }
  CHECK(store->updates({}).size() >= acks.size());
}
