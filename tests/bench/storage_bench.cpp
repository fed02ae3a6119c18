// Group commit under load: producer threads write updates through one CommitQueue, each keeping
// a bounded number in flight (as the Slack adapter does while it waits to acknowledge events).
// Prints throughput, how many commits (fsyncs) it took, how long a writer waits for its
// acknowledgement, and how long reading everything back takes.
//   [TMPDIR=dir] bench_storage_bench [updates=100000] [producers=8] [in_flight_per_producer=64]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "../storage/fixtures.hpp"
#include "bench_support.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/storage/sqlite_store.hpp"

using namespace microalign;
using namespace microalign::bench;
using namespace microalign::storage;

namespace {

// 500 tickets over 20 channels and 50 people, so the ticket upserts hit existing rows.
Update sample(int n) {
  const std::string ticket = numbered("ENG-", n % 500);
  const std::string link = numbered("https://example.com/", n);
  Update u = test::make_update(ticket + " on track, see " + link);
  u.where.channel = numbered("C", n % 20);
  u.user = numbered("U", n % 50);
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = TicketState::on_track;
  u.parsed.tickets = {ticket};
  u.parsed.links = {link};
  return u;
}

}  // namespace

int main(int argc, char** argv) {
  const int total = arg(argc, argv, 1, 100'000);
  const int producers = arg(argc, argv, 2, 8);
  const int in_flight = arg(argc, argv, 3, 64);
  test::TempDir dir;
  const std::string path = dir.file("bench.db");

  auto store = SqliteStore::open(path);
  std::vector<Clock::duration> latency(static_cast<std::size_t>(total));
  std::deque<std::counting_semaphore<>> slots;  // a deque: semaphores cannot move
  for (int p = 0; p < producers; ++p) slots.emplace_back(in_flight);
  std::atomic<int> failed{0};

  const auto start = Clock::now();
  {
    CommitQueue queue(*store);
    std::vector<std::jthread> threads;
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&, p] {
        for (int n = p; n < total; n += producers) {
          slots[p].acquire();
          const auto submitted = Clock::now();
          queue.submit([u = sample(n)](Store& s) { s.insert_update(u); },
                       [&, n, p, submitted](const CommitOutcome& o) {
                         latency[static_cast<std::size_t>(n)] = Clock::now() - submitted;
                         if (!o.ok()) ++failed;
                         slots[p].release();
                       });
        }
      });
    }
    threads.clear();  // joins the producers
    queue.stop();
    const auto elapsed = Clock::now() - start;

    std::sort(latency.begin(), latency.end());
    auto percentile = [&](double q) { return ms(latency[static_cast<std::size_t>(q * (total - 1))]); };
    std::printf("storage_bench: %d updates, %d producers x %d in flight, db in %s\n", total,
                producers, in_flight, path.c_str());
    std::printf("  throughput  %.0f updates/s (%.2f s)\n", total / (ms(elapsed) / 1000), ms(elapsed) / 1000);
    std::printf("  commits     %zu batches, %.1f updates per batch, %d failed\n", queue.batches(),
                static_cast<double>(queue.items()) / static_cast<double>(queue.batches()), failed.load());
    std::printf("  latency     submit->done p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", percentile(0.50),
                percentile(0.99), ms(latency.back()));
  }

  const auto read_start = Clock::now();
  const auto all = store->updates({});
  std::printf("  export      %zu updates with tickets and links read in %.0f ms\n", all.size(),
              ms(Clock::now() - read_start));
}
