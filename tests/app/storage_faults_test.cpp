// The real SQLite file under the application failing as disks and neighbours make it fail: full
// (SQLite's own page limit on the bot's connection) and locked (a second connection holding the
// write lock). The author is told honestly that the update was not saved, the event loop keeps
// running while storage waits on its own thread, and once the fault clears the next update is
// stored.
#include <SQLiteCpp/Database.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "microalign/storage/sqlite_store.hpp"
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

SQLite::Database& connection_of(storage::Store& s) { return dynamic_cast<storage::SqliteStore&>(s).sql(); }

std::string database_file(AppHarness& h) {
  return h.read([](storage::Store& s) { return connection_of(s).getFilename(); });
}

// From now on the file may not grow: as a full disk, to SQLite (SQLITE_FULL).
void fill_disk(AppHarness& h) {
  h.write([](storage::Store& s) {
    auto& db = connection_of(s);
    db.exec("PRAGMA max_page_count = " + std::to_string(db.execAndGet("PRAGMA page_count").getInt()));
  });
}

void free_disk(AppHarness& h) {
  h.write([](storage::Store& s) { connection_of(s).exec("PRAGMA max_page_count = 1073741823"); });
}

// Longer than a page, so storing it needs pages the full disk does not have.
std::string long_status(const std::string& ticket) { return ticket + " on track: " + std::string(6000, 'x'); }

// Counts 10 ms ticks of the event loop until `stopped`: how much the loop ran meanwhile.
asio::awaitable<void> tick(std::shared_ptr<int> ticks, std::shared_ptr<bool> stopped) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!*stopped) {
    timer.expires_after(10ms);
    co_await timer.async_wait(asio::use_awaitable);
    ++*ticks;
  }
}

// Delivers `posted` as AppHarness::deliver does, and returns how often the loop ticked meanwhile.
int deliver_counting_ticks(AppHarness& h, app::UpdatePosted posted, TestResponder& author) {
  auto ticks = std::make_shared<int>(0);
  auto stopped = std::make_shared<bool>(false);
  auto run = [&]() -> asio::awaitable<void> {
    asio::co_spawn(co_await asio::this_coro::executor, tick(ticks, stopped), asio::detached);
    co_await h.bot().on_update(h.platform(), std::move(posted), author);
    *stopped = true;
  };
  h.run(run(), 15s);
  return *ticks;
}

}  // namespace

TEST_CASE(
    "disk_full: an update that does not fit is answered not saved, and the next one after space is freed is "
    "stored",
    "[updates][storage]") {
  AppHarness h;
  fill_disk(h);
  TestResponder first;
  h.deliver(status(long_status("ENG-1")), first);
  CHECK_THAT(first.answer(), Contains("couldn't save"));
  CHECK(h.updates().empty());

  free_disk(h);
  TestResponder second;
  h.deliver(status(long_status("ENG-2")), second);
  CHECK_THAT(second.answer(), !Contains("couldn't save"));
  const auto stored = h.updates();
  REQUIRE(stored.size() == 1);
  CHECK_THAT(stored.front().parsed.text, Contains("ENG-2"));
  CHECK(h.pending().size() == 1);  // its echo, and only its
}

TEST_CASE("a database locked for a moment by another process is waited for, off the event loop", "[updates][storage]") {
  AppHarness h;
  SQLite::Database neighbour(database_file(h), SQLite::OPEN_READWRITE);
  neighbour.exec("BEGIN EXCLUSIVE");
  std::thread unlock([&] {
    std::this_thread::sleep_for(300ms);
    neighbour.exec("COMMIT");
  });
  TestResponder author;
  const int ticks = deliver_counting_ticks(h, status("ENG-3 on track"), author);
  unlock.join();

  CHECK_THAT(author.answer(), !Contains("couldn't save"));
  CHECK(h.updates().size() == 1);
  CHECK(ticks >= 5);  // up to 30 ticks in the 300 ms storage waited (fewer on a busy machine); a blocked loop: 0
}

TEST_CASE(
    "database_locked: a database locked past the busy timeout is answered not saved, and the next update after "
    "the lock is released is stored",
    "[updates][storage]") {
  AppHarness h;
  SQLite::Database neighbour(database_file(h), SQLite::OPEN_READWRITE);
  neighbour.exec("BEGIN EXCLUSIVE");
  TestResponder first;
  const int ticks = deliver_counting_ticks(h, status("ENG-4 on track"), first);
  CHECK_THAT(first.answer(), Contains("couldn't save"));
  CHECK(ticks >= 50);  // up to 500 in the 5 s busy timeout: the loop kept running

  neighbour.exec("COMMIT");
  CHECK(h.updates().empty());
  TestResponder second;
  h.deliver(status("ENG-5 on track"), second);
  CHECK_THAT(second.answer(), !Contains("couldn't save"));
  const auto stored = h.updates();
  REQUIRE(stored.size() == 1);
  CHECK_THAT(stored.front().parsed.text, Contains("ENG-5"));
}
