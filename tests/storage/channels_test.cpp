// Channel settings and the record of digest runs.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <future>

#include "engines.hpp"
#include "fixtures.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/channels.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using namespace std::chrono_literals;
using test::at_ms;
using test::TempDir;
using test::TestDatabase;
using test::transact;

namespace {

ChannelSettings settings(std::string channel, DigestSchedule::Cadence cadence) {
  ChannelSettings s;
  s.team = "T1";
  s.channel = std::move(channel);
  s.schedule.cadence = cadence;
  s.time_zone = "Europe/Berlin";
  s.configured_by = "U1";
  s.updated_at = at_ms(1000);
  return s;
}

void save(Engine& store, const ChannelSettings& s) {
  transact(store, [&] { store.save_channel_settings(s); });
}

DigestRun run(SysTime scheduled_for, bool posted, int updates = 1) {
  DigestRun r;
  r.team = "T1";
  r.channel = "C1";
  r.scheduled_for = scheduled_for;
  r.window_start = scheduled_for - 24h;
  r.window_end = scheduled_for;
  r.counts = {.updates = updates, .people = 2, .tickets_moved = 3, .blocked = 4, .quiet = 5};
  r.posted = posted;
  r.recorded_at = scheduled_for + 1s;
  return r;
}

bool record(Engine& store, const DigestRun& r) {
  return transact(store, [&] { return store.record_digest_run(r); });
}

}  // namespace

TEST_CASE("channel settings round-trip, and a channel never configured has none") {
  TestDatabase db;
  auto store = db.open();
  ChannelSettings s = settings("C1", DigestSchedule::Cadence::weekly);
  s.schedule.time_of_day = 17h + 30min;
  s.schedule.day = std::chrono::Friday;
  s.schedule.threaded = true;
  s.quiet_days = 5;
  save(*store, s);

  const auto found = store->channel_settings("T1", "C1");
  REQUIRE(found);
  CHECK(found->team == "T1");
  CHECK(found->channel == "C1");
  CHECK(found->schedule == s.schedule);
  CHECK(found->time_zone == "Europe/Berlin");
  CHECK(found->quiet_days == 5);
  CHECK(found->configured_by == "U1");
  CHECK(found->updated_at == at_ms(1000));
  CHECK_FALSE(store->channel_settings("T1", "C2"));
  CHECK_FALSE(store->channel_settings("T2", "C1"));
}

TEST_CASE("every weekday round-trips") {
  TestDatabase db;
  auto store = db.open();
  for (unsigned day = 0; day < 7; ++day) {
    ChannelSettings s = settings("C1", DigestSchedule::Cadence::weekly);
    s.schedule.day = std::chrono::weekday(day);
    save(*store, s);
    CHECK(store->channel_settings("T1", "C1")->schedule.day == std::chrono::weekday(day));
  }
}

TEST_CASE("weekdays are stored as 0 (Sunday) to 6 (Saturday)", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  auto weekday_column = [&](std::chrono::weekday day) {
    ChannelSettings s = settings("C1", DigestSchedule::Cadence::weekly);
    s.schedule.day = day;
    save(*store, s);
    CHECK(store->channel_settings("T1", "C1")->schedule.day == day);
    return store->sql().execAndGet("SELECT weekday FROM channel_settings").getInt();
  };
  CHECK(weekday_column(std::chrono::Sunday) == 0);
  CHECK(weekday_column(std::chrono::Monday) == 1);
  CHECK(weekday_column(std::chrono::Saturday) == 6);
}

TEST_CASE("saving again replaces the settings but keeps who configured the channel") {
  TestDatabase db;
  auto store = db.open();

  SECTION("the first configurer stays") {
    save(*store, settings("C1", DigestSchedule::Cadence::daily));
    ChannelSettings changed = settings("C1", DigestSchedule::Cadence::weekdays);
    changed.configured_by = "U2";
    changed.time_zone = "America/New_York";
    changed.quiet_days = 2;
    changed.updated_at = at_ms(2000);
    save(*store, changed);
    const auto found = store->channel_settings("T1", "C1");
    CHECK(found->schedule.cadence == DigestSchedule::Cadence::weekdays);
    CHECK(found->time_zone == "America/New_York");
    CHECK(found->quiet_days == 2);
    CHECK(found->updated_at == at_ms(2000));
    CHECK(found->configured_by == "U1");
  }
  SECTION("a save without a user keeps the configurer") {
    save(*store, settings("C1", DigestSchedule::Cadence::daily));
    ChannelSettings anonymous = settings("C1", DigestSchedule::Cadence::off);
    anonymous.configured_by = "";
    save(*store, anonymous);
    CHECK(store->channel_settings("T1", "C1")->configured_by == "U1");
  }
  SECTION("a channel first saved without a user takes the first one given") {
    ChannelSettings anonymous = settings("C1", DigestSchedule::Cadence::daily);
    anonymous.configured_by = "";
    save(*store, anonymous);
    CHECK(store->channel_settings("T1", "C1")->configured_by.empty());
    ChannelSettings named = anonymous;
    named.configured_by = "U3";
    save(*store, named);
    CHECK(store->channel_settings("T1", "C1")->configured_by == "U3");
  }
}

TEST_CASE("scheduled channels are those with a cadence other than off") {
  TestDatabase db;
  auto store = db.open();
  save(*store, settings("C3", DigestSchedule::Cadence::weekly));
  save(*store, settings("C1", DigestSchedule::Cadence::daily));
  save(*store, settings("C2", DigestSchedule::Cadence::off));
  ChannelSettings elsewhere = settings("C0", DigestSchedule::Cadence::weekdays);
  elsewhere.team = "T2";
  save(*store, elsewhere);

  std::vector<std::string> found;
  for (const auto& s : store->scheduled_channels()) found.push_back(s.team + "/" + s.channel);
  CHECK(found == std::vector<std::string>{"T1/C1", "T1/C3", "T2/C0"});
}

TEST_CASE("a settings value out of range is refused with the database and the engine's reason") {
  TestDatabase db;
  auto store = db.open();
  ChannelSettings s = settings("C1", DigestSchedule::Cadence::daily);
  s.quiet_days = 0;
  CHECK_THROWS_WITH(save(*store, s),
                    Catch::StartsWith(store->name() + ": save channel settings: ") &&
                        Catch::Contains(db.postgres() ? "violates check constraint" : "CHECK constraint failed"));
  CHECK_FALSE(store->channel_settings("T1", "C1"));
}

TEST_CASE("a digest run is recorded once per slot, also across restarts") {
  TestDatabase db;
  {
    auto store = db.open();
    CHECK(record(*store, run(at_ms(86'400'000), true, 7)));
    CHECK_FALSE(record(*store, run(at_ms(86'400'000), false, 9)));  // the same slot again
  }
  auto store = db.open();
  CHECK_FALSE(record(*store, run(at_ms(86'400'000), true, 11)));
  const auto last = store->last_digest_run("T1", "C1");
  REQUIRE(last);
  CHECK(last->counts.updates == 7);  // the first record stands
  CHECK(last->posted);

  DigestRun other_channel = run(at_ms(86'400'000), true);
  other_channel.channel = "C2";
  CHECK(record(*store, other_channel));  // a slot belongs to one channel
}

TEST_CASE("a slot recorded again adds no row", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  CHECK(record(*store, run(at_ms(86'400'000), true, 7)));
  CHECK_FALSE(record(*store, run(at_ms(86'400'000), false, 9)));
  CHECK(store->sql().execAndGet("SELECT count(*) FROM digest_runs").getInt() == 1);
}

TEST_CASE("two replicas recording the same slot at the same moment: only the first reports it recorded") {
  TestDatabase db;
  auto first = db.open();
  auto second = db.open();  // another replica's connection
  const DigestRun slot = run(at_ms(86'400'000), true, 7);
  DigestRun again = slot;
  again.counts.updates = 9;

  std::future<bool> second_recorded;
  CHECK(transact(*first, [&] {
    const bool recorded = first->record_digest_run(slot);
    second_recorded = std::async(std::launch::async, [&] { return record(*second, again); });
    // The second transaction waits for the first (for the slot's key, or SQLite's write lock).
    CHECK(second_recorded.wait_for(200ms) == std::future_status::timeout);
    return recorded;
  }));
  CHECK_FALSE(second_recorded.get());
  const auto last = second->last_digest_run("T1", "C1");
  REQUIRE(last);
  CHECK(last->counts.updates == 7);
}

TEST_CASE("the last run and the last posted run are found by their slot") {
  TestDatabase db;
  auto store = db.open();
  CHECK_FALSE(store->last_digest_run("T1", "C1"));
  CHECK_FALSE(store->last_posted_digest("T1", "C1"));

  const DigestRun posted = run(at_ms(2 * 86'400'000), true, 2);
  record(*store, posted);
  record(*store, run(at_ms(3 * 86'400'000), false, 3));  // skipped
  record(*store, run(at_ms(1 * 86'400'000), true, 1));   // recorded late, for an older slot
  DigestRun elsewhere = run(at_ms(9 * 86'400'000), true);
  elsewhere.channel = "C2";
  record(*store, elsewhere);

  const auto last = store->last_digest_run("T1", "C1");
  REQUIRE(last);
  CHECK(last->scheduled_for == at_ms(3 * 86'400'000));
  CHECK_FALSE(last->posted);

  const auto last_posted = store->last_posted_digest("T1", "C1");
  REQUIRE(last_posted);
  CHECK(last_posted->team == "T1");
  CHECK(last_posted->channel == "C1");
  CHECK(last_posted->scheduled_for == posted.scheduled_for);
  CHECK(last_posted->window_start == posted.window_start);
  CHECK(last_posted->window_end == posted.window_end);
  CHECK(last_posted->counts == posted.counts);
  CHECK(last_posted->posted);
  CHECK(last_posted->recorded_at == posted.recorded_at);
}

TEST_CASE("channel writes run only inside a transaction") {
  TestDatabase db;
  auto store = db.open();
  CHECK_THROWS_AS(store->save_channel_settings(settings("C1", DigestSchedule::Cadence::daily)), std::logic_error);
  CHECK_THROWS_AS(store->record_digest_run(run(at_ms(0), true)), std::logic_error);
}
