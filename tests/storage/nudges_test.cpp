// What nudges remember and the tickets they read: people's settings, holidays, owners named by
// hand, snoozes and nudges sent (once per quiet period across replicas), the candidates and a
// channel's open tickets, the migration from schema 3, and index use.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <future>
#include <tuple>
#include <type_traits>

#include "../../storage/postgres/pg.hpp"
#include "../../storage/sqlite/migrations.hpp"  // the embedded migrations, to build a 003 file
#include "engines.hpp"
#include "fixtures.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/channels.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/people.hpp"
#include "query_plan.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using namespace std::chrono;
using namespace std::chrono_literals;
using test::at_ms;
using test::insert;
using test::TempDir;
using test::TestDatabase;
using test::transact;

namespace {

constexpr year_month_day ymd(int y, unsigned m, unsigned d) {
  return year_month_day{year{y}, month{m}, day{d}};
}

// A status about `ticket` by `user` in T1/C1 at `ms`.
Update status(std::int64_t ms, const std::string& ticket, std::optional<TicketState> state,
              std::string user = "U1") {
  Update u = test::make_update(ticket + " at " + std::to_string(ms), at_ms(ms));
  u.user = std::move(user);
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = state;
  u.parsed.tickets = {ticket};
  return u;
}

Update in_channel(Update u, std::string team, std::string channel) {
  u.where.team = std::move(team);
  u.where.channel = std::move(channel);
  return u;
}

template <typename T>
std::vector<std::string> keys(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    if constexpr (std::is_same_v<T, NudgeCandidate>) {
      out.push_back(item.ticket.key);
    } else {
      out.push_back(item.key);
    }
  }
  return out;
}

OwnerProfile profile(Engine& store, const std::string& user, const std::string& team = "T1") {
  return store.owner_profiles(team, {user}).at(user);
}

const NudgeCandidate& candidate(const std::vector<NudgeCandidate>& found, const std::string& key) {
  const auto it = std::find_if(found.begin(), found.end(),
                               [&](const NudgeCandidate& c) { return c.ticket.key == key; });
  REQUIRE(it != found.end());
  return *it;
}

void configure_quiet_days(Engine& store, const std::string& channel, int days) {
  ChannelSettings s;
  s.team = "T1";
  s.channel = channel;
  s.quiet_days = days;
  transact(store, [&] { store.save_channel_settings(s); });
}

// A file at schema version 3, as the 003 binary left it: two people with names, an open and a
// done ticket, a channel configured.
void write_version_3(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  for (const Migration& m : migrations()) {
    if (m.version > 3) break;
    db.exec(std::string(m.sql));
  }
  db.exec("PRAGMA user_version = 3");
  db.exec(R"(
    INSERT INTO updates (id, created_at, team, channel, thread, user, source, kind, state,
                         delay_days, blocked_on, text, echo_ref, source_ref) VALUES
      (1, 1000, 'T1', 'C1', '', 'U1', 'slash', 'status', 'blocked', NULL, 'legal', 'ENG-1 blocked', NULL, ''),
      (2, 2000, 'T1', 'C1', '', 'U2', 'slash', 'status', 'done', NULL, '', 'ENG-2 done', NULL, '');
    INSERT INTO update_tickets (update_id, position, ticket_key) VALUES (1, 0, 'ENG-1'), (2, 0, 'ENG-2');
    INSERT INTO tickets (team, key, channel, owner, last_update_id, last_state, last_update_at,
                         first_seen_at, state_since) VALUES
      ('T1', 'ENG-1', 'C1', 'U1', 1, 'blocked', 1000, 1000, 1000),
      ('T1', 'ENG-2', 'C1', 'U2', 2, 'done', 2000, 2000, 2000);
    INSERT INTO channel_settings (team, channel, cadence, time_of_day, weekday, threaded, time_zone,
                                  quiet_days, configured_by, updated_at) VALUES
      ('T1', 'C1', 'daily', 540, 1, 0, 'Europe/Berlin', 2, 'U1', 500);
    INSERT INTO people (team, user, name, updated_at) VALUES ('T1', 'U1', 'alice', 900),
                                                             ('T1', 'U2', 'bob', 1900);
  )");
}

}  // namespace

TEST_CASE("a version 3 database is migrated with its people and tickets kept", "[nudges][sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  write_version_3(path);

  auto store = SqliteStore::open(path);
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());
  const auto has_index = [&](const std::string& name) {
    SQLite::Statement q(store->sql(), "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?");
    q.bind(1, name);
    return q.executeStep();
  };
  CHECK(has_index("open_tickets_by_last_update"));
  CHECK_FALSE(has_index("tickets_by_last_update"));  // replaced: it was there for this query
  CHECK(store->known_names("T1") == std::map<std::string, std::string>{{"U1", "alice"}, {"U2", "bob"}});
  const OwnerProfile alice = profile(*store, "U1");
  CHECK(alice.user == "U1");
  CHECK(alice.time_zone.empty());
  CHECK_FALSE(alice.away_until);
  CHECK_FALSE(alice.nudges_off);
  CHECK_FALSE(alice.last_dm_at);

  const auto found = store->nudge_candidates(at_ms(5000));
  REQUIRE(keys(found) == std::vector<std::string>{"ENG-1"});
  CHECK(found[0].ticket.owner == "U1");
  CHECK(found[0].ticket.last_update.parsed.blocked_on == "legal");
  CHECK(found[0].quiet_days == 2);
  CHECK(found[0].nudged_for_update_id == 0);

  // The settings can be given to people the old binary knew, keeping their names.
  transact(*store, [&] { store->set_away("T1", "U2", ymd(2026, 5, 1)); });
  CHECK(profile(*store, "U2").away_until == ymd(2026, 5, 1));
  CHECK(store->known_names("T1").at("U2") == "bob");
}

TEST_CASE("people's settings round-trip, each leaving the others alone", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  transact(*store, [&] {
    store->set_time_zone("T1", "U1", "Europe/Berlin");
    store->set_away("T1", "U1", ymd(2026, 12, 31));
    store->set_nudges_off("T1", "U1", true);
    store->record_nudge_dm("T1", "U1", at_ms(5000));
  });

  OwnerProfile p = profile(*store, "U1");
  CHECK(p.user == "U1");
  CHECK(p.time_zone == "Europe/Berlin");
  CHECK(p.away_until == ymd(2026, 12, 31));
  CHECK(p.nudges_off);
  CHECK(p.last_dm_at == at_ms(5000));
  CHECK(p.work_start == 9h);
  CHECK(p.work_end == 17h);

  transact(*store, [&] {
    store->set_away("T1", "U1", std::nullopt);
    store->set_nudges_off("T1", "U1", false);
    store->record_nudge_dm("T1", "U1", at_ms(9000));
    store->set_time_zone("T1", "U1", "America/New_York");
  });
  p = profile(*store, "U1");
  CHECK(p.time_zone == "America/New_York");
  CHECK_FALSE(p.away_until);
  CHECK_FALSE(p.nudges_off);
  CHECK(p.last_dm_at == at_ms(9000));

  SECTION("away-until days are stored as YYYY-MM-DD") {
    transact(*store, [&] { store->set_away("T1", "U1", ymd(987, 1, 2)); });
    CHECK(test::ask(*store, "SELECT away_until FROM people") == "0987-01-02");
    CHECK(profile(*store, "U1").away_until == ymd(987, 1, 2));
  }
  SECTION("another workspace's person of the same id is someone else") {
    const OwnerProfile other = profile(*store, "U1", "T2");
    CHECK(other.time_zone.empty());
    CHECK_FALSE(other.last_dm_at);
  }
}

TEST_CASE("profiles: people never seen get the defaults, under their own id", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  transact(*store, [&] { store->set_time_zone("T1", "U1", "Asia/Tokyo"); });

  const auto profiles = store->owner_profiles("T1", {"U2", "U1", "U2"});
  REQUIRE(profiles.size() == 2);
  CHECK(profiles.at("U1").time_zone == "Asia/Tokyo");
  const OwnerProfile& stranger = profiles.at("U2");
  CHECK(stranger.user == "U2");
  CHECK(stranger.time_zone.empty());
  CHECK(stranger.work_start == 9h);
  CHECK(stranger.work_end == 17h);
  CHECK_FALSE(stranger.away_until);
  CHECK_FALSE(stranger.nudges_off);
  CHECK_FALSE(stranger.last_dm_at);
  CHECK(store->owner_profiles("T1", {}).empty());
}

TEST_CASE("names and nudge settings share a row without overwriting each other", "[nudges]") {
  TestDatabase db;
  auto store = db.open();

  SECTION("a name learned after going away keeps the away day") {
    transact(*store, [&] { store->set_away("T1", "U1", ymd(2026, 5, 1)); });
    transact(*store, [&] { store->remember_name("T1", "U1", "alice", at_ms(1000)); });
    transact(*store, [&] { store->remember_name("T1", "U1", "alice b.", at_ms(2000)); });
    CHECK(profile(*store, "U1").away_until == ymd(2026, 5, 1));
    CHECK(store->known_names("T1").at("U1") == "alice b.");
  }
  SECTION("someone known only by their settings has no name to show yet") {
    transact(*store, [&] {
      store->remember_name("T1", "U1", "alice", at_ms(1000));
      store->set_time_zone("T1", "U2", "Europe/Paris");
      store->set_away("T1", "U3", ymd(2026, 5, 1));
    });
    CHECK(store->known_names("T1") == std::map<std::string, std::string>{{"U1", "alice"}});
    transact(*store, [&] { store->remember_name("T1", "U2", "bob", at_ms(2000)); });
    CHECK(store->known_names("T1") == std::map<std::string, std::string>{{"U1", "alice"}, {"U2", "bob"}});
  }
  SECTION("settings given after the name keep the name") {
    transact(*store, [&] { store->remember_name("T1", "U1", "alice", at_ms(1000)); });
    transact(*store, [&] {
      store->set_time_zone("T1", "U1", "Europe/Paris");
      store->set_nudges_off("T1", "U1", true);
      store->record_nudge_dm("T1", "U1", at_ms(3000));
    });
    CHECK(store->known_names("T1").at("U1") == "alice");
    CHECK(test::ask(*store, "SELECT updated_at FROM people") == "1000");
    CHECK(profile(*store, "U1").nudges_off);
  }
}

TEST_CASE("holidays: inclusive ranges, each day once, per channel", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  transact(*store, [&] {
    store->add_holidays("T1", "C1", ymd(2026, 12, 24), ymd(2026, 12, 26));
    store->add_holidays("T1", "C1", ymd(2026, 12, 26), ymd(2027, 1, 1));  // overlaps
    store->add_holidays("T1", "C2", ymd(2026, 5, 1), ymd(2026, 5, 1));
  });

  Holidays c1;
  for (unsigned d = 24; d <= 31; ++d) c1.insert(ymd(2026, 12, d));
  c1.insert(ymd(2027, 1, 1));
  CHECK(store->channel_holidays("T1", "C1") == c1);
  CHECK(store->channel_holidays("T1", "C2") == Holidays{ymd(2026, 5, 1)});
  CHECK(store->channel_holidays("T2", "C1").empty());
  CHECK(store->channel_holidays("T1", "C3").empty());
  CHECK(test::ask(*store, "SELECT min(day) FROM channel_holidays") == "2026-05-01");

  SECTION("a range ending before it starts, or an impossible day, is refused; nothing is written") {
    transact(*store, [&] {
      CHECK_THROWS_AS(store->add_holidays("T1", "C3", ymd(2026, 5, 2), ymd(2026, 5, 1)), std::invalid_argument);
      CHECK_THROWS_AS(store->add_holidays("T1", "C3", ymd(2026, 2, 30), ymd(2026, 3, 1)), std::invalid_argument);
      CHECK_THROWS_AS(store->add_holidays("T1", "C3", ymd(-1, 1, 1), ymd(2026, 3, 1)), std::invalid_argument);
      CHECK_THROWS_AS(store->set_away("T1", "U1", ymd(2026, 13, 1)), std::invalid_argument);
    });
    CHECK(store->channel_holidays("T1", "C3").empty());
  }
}

TEST_CASE("an owner named by hand wins over the last poster of a status", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::on_track, "U1"));
  insert(*store, status(1000, "ENG-2", TicketState::on_track, "U1"));
  CHECK(transact(*store, [&] { return store->set_owner("T1", "ENG-1", "U9"); }));
  insert(*store, status(2000, "ENG-1", TicketState::at_risk, "U2"));  // does not take it back

  auto found = store->nudge_candidates(at_ms(5000));
  CHECK(candidate(found, "ENG-1").ticket.owner == "U9");
  CHECK(candidate(found, "ENG-2").ticket.owner == "U1");
  auto open = store->open_tickets("T1", "C1");
  REQUIRE(keys(open) == std::vector<std::string>{"ENG-2", "ENG-1"});
  CHECK(open[1].owner == "U9");
  CHECK(open[1].last_update.user == "U2");

  // Named again: the latest naming wins.
  CHECK(transact(*store, [&] { return store->set_owner("T1", "ENG-1", "U8"); }));
  CHECK(candidate(store->nudge_candidates(at_ms(5000)), "ENG-1").ticket.owner == "U8");

  SECTION("a ticket never named anywhere in the team cannot be given an owner") {
    CHECK_FALSE(transact(*store, [&] { return store->set_owner("T1", "ENG-404", "U9"); }));
    CHECK_FALSE(transact(*store, [&] { return store->set_owner("T2", "ENG-1", "U9"); }));
    CHECK(test::ask(*store, "SELECT count(*) FROM ticket_nudges") == "1");
  }
  SECTION("nobody is no owner") {
    transact(*store, [&] { CHECK_THROWS_AS(store->set_owner("T1", "ENG-1", ""), std::invalid_argument); });
  }
}

TEST_CASE("snoozes and nudges sent are stored per ticket, the latest replacing the last", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  const auto first = insert(*store, status(1000, "ENG-1", TicketState::blocked));
  insert(*store, status(1000, "ENG-2", TicketState::blocked));

  CHECK(transact(*store, [&] { return store->snooze("T1", "ENG-1", at_ms(8000)); }));
  auto c = candidate(store->nudge_candidates(at_ms(5000)), "ENG-1");
  CHECK(c.snoozed_until == at_ms(8000));
  CHECK_FALSE(c.nudged_at);
  CHECK(c.nudged_for_update_id == 0);

  CHECK(transact(*store, [&] { return store->record_nudge("T1", "ENG-1", first, at_ms(6000)); }));
  CHECK(transact(*store, [&] { return store->snooze("T1", "ENG-1", at_ms(9000)); }));
  c = candidate(store->nudge_candidates(at_ms(5000)), "ENG-1");
  CHECK(c.snoozed_until == at_ms(9000));
  CHECK(c.nudged_for_update_id == first);
  CHECK(c.nudged_at == at_ms(6000));
  CHECK(c.ticket.owner == "U1");  // no owner named: the summary's

  const auto later = insert(*store, status(2000, "ENG-1", std::nullopt));
  CHECK(transact(*store, [&] { return store->record_nudge("T1", "ENG-1", later, at_ms(7000)); }));
  c = candidate(store->nudge_candidates(at_ms(5000)), "ENG-1");
  CHECK(c.nudged_for_update_id == later);
  CHECK(c.nudged_at == at_ms(7000));
  CHECK(c.ticket.last_update.id == later);
  CHECK(c.snoozed_until == at_ms(9000));

  const auto other = candidate(store->nudge_candidates(at_ms(5000)), "ENG-2");
  CHECK_FALSE(other.snoozed_until);
  CHECK_FALSE(other.nudged_at);

  CHECK_FALSE(transact(*store, [&] { return store->snooze("T1", "ENG-404", at_ms(9000)); }));
  CHECK_FALSE(transact(*store, [&] { return store->record_nudge("T1", "ENG-404", first, at_ms(1)); }));
}

TEST_CASE("a nudge another replica recorded for the same quiet period is not recorded again", "[nudges]") {
  TestDatabase db;
  auto first = db.open();
  auto second = db.open();
  const auto id = insert(*first, status(1000, "ENG-1", TicketState::blocked));
  SECTION("one after the other") {
    CHECK(transact(*first, [&] { return first->record_nudge("T1", "ENG-1", id, at_ms(6000)); }));
    CHECK_FALSE(transact(*second, [&] { return second->record_nudge("T1", "ENG-1", id, at_ms(6001)); }));
  }
  SECTION("at the same moment: the second waits for the first, then finds it") {
    if (!db.postgres()) return;  // SQLite's transactions write one at a time
    first->begin();
    CHECK(first->record_nudge("T1", "ENG-1", id, at_ms(6000)));
    auto recording = std::async(std::launch::async, [&] {
      return transact(*second, [&] { return second->record_nudge("T1", "ENG-1", id, at_ms(6001)); });
    });
    CHECK(recording.wait_for(200ms) == std::future_status::timeout);  // held by the first's row
    first->commit();
    CHECK_FALSE(recording.get());
  }
  const auto c = candidate(first->nudge_candidates(at_ms(5000)), "ENG-1");
  CHECK(c.nudged_for_update_id == id);
  CHECK(c.nudged_at == at_ms(6000));
}

TEST_CASE("nudge writes run only inside a transaction", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::blocked));
  CHECK_THROWS_AS(store->set_time_zone("T1", "U1", "UTC"), std::logic_error);
  CHECK_THROWS_AS(store->set_away("T1", "U1", std::nullopt), std::logic_error);
  CHECK_THROWS_AS(store->set_nudges_off("T1", "U1", true), std::logic_error);
  CHECK_THROWS_AS(store->record_nudge_dm("T1", "U1", at_ms(1)), std::logic_error);
  CHECK_THROWS_AS(store->add_holidays("T1", "C1", ymd(2026, 1, 1), ymd(2026, 1, 1)), std::logic_error);
  CHECK_THROWS_AS(store->set_owner("T1", "ENG-1", "U2"), std::logic_error);
  CHECK_THROWS_AS(store->snooze("T1", "ENG-1", at_ms(1)), std::logic_error);
  CHECK_THROWS_AS(store->record_nudge("T1", "ENG-1", 1, at_ms(1)), std::logic_error);
  CHECK(test::ask(*store, "SELECT count(*) FROM people") == "0");
}

TEST_CASE("nudge candidates: open tickets quiet since the cut-off, with their channel's rules", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::done));                  // done: never
  insert(*store, status(1000, "ENG-2", TicketState::blocked, "U2"));
  insert(*store, status(3000, "ENG-3", std::nullopt, "U1"));                 // never stated: open
  insert(*store, status(5000, "ENG-4", TicketState::on_track));              // at the cut-off
  insert(*store, status(5001, "ENG-5", TicketState::on_track));              // after it
  insert(*store, in_channel(status(2000, "ENG-6", TicketState::at_risk, "U1"), "T1", "C2"));
  insert(*store, in_channel(status(500, "ENG-7", TicketState::delayed, "U3"), "T0", "C1"));
  Update done_later = status(900, "ENG-8", TicketState::on_track);
  insert(*store, done_later);
  insert(*store, status(1500, "ENG-8", TicketState::done));                  // done since

  Update rich = status(4000, "ENG-2", std::nullopt, "U2");
  rich.parsed.kind = UpdateKind::question;  // not a status: the owner stays
  rich.parsed.text = "ENG-2 is legal done yet?";
  rich.parsed.links = {"https://legal.example/42"};
  rich.parsed.tickets = {"ENG-2", "ENG-9"};
  insert(*store, in_channel(rich, "T1", "C2"));  // the ticket's channel follows its last update

  configure_quiet_days(*store, "C2", 5);
  transact(*store, [&] {
    store->add_holidays("T1", "C2", ymd(2026, 12, 24), ymd(2026, 12, 25));
    store->add_holidays("T1", "C1", ymd(2026, 1, 1), ymd(2026, 1, 1));
  });

  const auto found = store->nudge_candidates(at_ms(5000));
  // By team, then owner, then oldest update first.
  CHECK(keys(found) == std::vector<std::string>{"ENG-7", "ENG-6", "ENG-3", "ENG-4", "ENG-2", "ENG-9"});

  const auto& eng2 = candidate(found, "ENG-2");
  CHECK(eng2.team == "T1");
  CHECK(eng2.channel == "C2");
  CHECK(eng2.ticket.owner == "U2");
  CHECK(eng2.ticket.state == TicketState::blocked);
  CHECK(eng2.ticket.state_since == at_ms(1000));
  CHECK(eng2.ticket.last_update_at == at_ms(4000));
  CHECK(eng2.ticket.last_update.parsed.text == "ENG-2 is legal done yet?");
  CHECK(eng2.ticket.last_update.parsed.links == std::vector<std::string>{"https://legal.example/42"});
  CHECK(eng2.ticket.last_update.parsed.tickets == std::vector<std::string>{"ENG-2", "ENG-9"});
  CHECK(eng2.quiet_days == 5);
  CHECK(eng2.channel_holidays == Holidays{ymd(2026, 12, 24), ymd(2026, 12, 25)});
  CHECK(candidate(found, "ENG-9").ticket.last_update.id == eng2.ticket.last_update.id);

  const auto& eng3 = candidate(found, "ENG-3");
  CHECK(eng3.channel == "C1");
  CHECK_FALSE(eng3.ticket.state);
  CHECK(eng3.quiet_days == 3);  // a channel never configured
  CHECK(eng3.channel_holidays == Holidays{ymd(2026, 1, 1)});

  const auto& eng7 = candidate(found, "ENG-7");
  CHECK(eng7.team == "T0");
  CHECK(eng7.quiet_days == 3);  // C1 of T1 is not C1 of T0
  CHECK(eng7.channel_holidays.empty());

  CHECK(keys(store->nudge_candidates(at_ms(999))) == std::vector<std::string>{"ENG-7"});
  CHECK(store->nudge_candidates(at_ms(499)).empty());
}

TEST_CASE("nudge candidates come sorted however they lie in the index", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  transact(*store, [&] {
    for (int n = 0; n < 60; ++n) {
      Update u = status(1000 + (n * 37) % 50, "ENG-" + std::to_string(n), TicketState::on_track,
                        "U" + std::to_string(n % 4));
      store->insert_update(in_channel(u, "T" + std::to_string(n % 3), "C1"));
    }
  });
  const auto found = store->nudge_candidates(at_ms(5000));
  REQUIRE(found.size() == 60);
  const auto order = [](const NudgeCandidate& c) {
    return std::tie(c.team, c.ticket.owner, c.ticket.last_update_at, c.ticket.key);
  };
  for (std::size_t i = 1; i < found.size(); ++i) CHECK(order(found[i - 1]) < order(found[i]));
  for (const auto& c : found) CHECK(c.ticket.last_update.parsed.tickets.front() == c.ticket.key);
}

TEST_CASE("nudged quiet tickets: the channel's quiet tickets whose last update was nudged about", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  const auto nudged = [&](const Update& u, std::int64_t at) {
    const auto id = insert(*store, u);
    transact(*store, [&] { store->record_nudge(u.where.team, u.parsed.tickets.at(0), id, at_ms(at)); });
  };
  nudged(status(2000, "ENG-1", TicketState::blocked, "U1"), 4000);
  nudged(status(1000, "ENG-2", TicketState::on_track), 2000);
  nudged(status(1000, "ENG-3", TicketState::on_track), 2000);
  insert(*store, status(3000, "ENG-3", TicketState::at_risk));   // updated since its nudge
  insert(*store, status(1000, "ENG-4", TicketState::on_track));  // never nudged
  nudged(status(1000, "ENG-5", TicketState::on_track), 2000);
  insert(*store, status(3000, "ENG-5", TicketState::done));
  nudged(status(6000, "ENG-6", TicketState::on_track), 7000);  // updated after the threshold
  nudged(in_channel(status(1000, "ENG-7", TicketState::on_track), "T1", "C2"), 2000);
  nudged(in_channel(status(1000, "ENG-8", TicketState::on_track), "T2", "C1"), 2000);
  configure_quiet_days(*store, "C1", 2);
  transact(*store, [&] {
    store->add_holidays("T1", "C1", ymd(2026, 1, 1), ymd(2026, 1, 1));
    store->set_owner("T1", "ENG-1", "U9");
  });

  const auto found = store->nudged_quiet_tickets("T1", "C1", at_ms(5000));
  CHECK(keys(found) == std::vector<std::string>{"ENG-2", "ENG-1"});
  const auto& eng1 = candidate(found, "ENG-1");
  CHECK(eng1.team == "T1");
  CHECK(eng1.channel == "C1");
  CHECK(eng1.ticket.owner == "U9");
  CHECK(eng1.ticket.state == TicketState::blocked);
  CHECK(eng1.ticket.last_update.parsed.text == "ENG-1 at 2000");
  CHECK(eng1.nudged_for_update_id == eng1.ticket.last_update.id);
  CHECK(eng1.nudged_at == at_ms(4000));
  CHECK(eng1.quiet_days == 2);
  CHECK(eng1.channel_holidays == Holidays{ymd(2026, 1, 1)});

  CHECK(keys(store->nudged_quiet_tickets("T1", "C1", at_ms(1999))) == std::vector<std::string>{"ENG-2"});
  CHECK(store->nudged_quiet_tickets("T1", "C9", at_ms(5000)).empty());
}

TEST_CASE("open tickets: the channel's not done, oldest update first, however recent", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(3000, "ENG-1", TicketState::on_track));
  insert(*store, status(1000, "ENG-2", TicketState::done));
  insert(*store, status(2000, "ENG-3", std::nullopt));
  insert(*store, status(9000, "ENG-4", TicketState::blocked));
  insert(*store, in_channel(status(500, "ENG-5", TicketState::blocked), "T1", "C2"));
  insert(*store, in_channel(status(500, "ENG-6", TicketState::blocked), "T2", "C1"));

  const auto open = store->open_tickets("T1", "C1");
  CHECK(keys(open) == std::vector<std::string>{"ENG-3", "ENG-1", "ENG-4"});
  REQUIRE(open.size() == 3);
  CHECK(open[2].last_update.parsed.text == "ENG-4 at 9000");
  CHECK(open[2].state == TicketState::blocked);
  CHECK(store->open_tickets("T1", "C9").empty());
}

TEST_CASE("snoozed tickets: the channel's open tickets whose snooze ends after now", "[nudges]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::on_track));
  insert(*store, status(1000, "ENG-2", TicketState::on_track));
  insert(*store, status(1000, "ENG-3", TicketState::done));
  insert(*store, status(1000, "ENG-4", TicketState::on_track));
  insert(*store, in_channel(status(1000, "ENG-5", TicketState::on_track), "T1", "C2"));
  insert(*store, status(1000, "ENG-6", TicketState::on_track));
  transact(*store, [&] {
    store->snooze("T1", "ENG-1", at_ms(9000));
    store->snooze("T1", "ENG-2", at_ms(5000));  // ends exactly now: over
    store->snooze("T1", "ENG-3", at_ms(9000));  // done
    store->snooze("T1", "ENG-5", at_ms(9000));  // another channel's
    store->set_owner("T1", "ENG-6", "U2");      // a nudge row without a snooze
  });
  CHECK(store->snoozed_tickets("T1", "C1", at_ms(5000)) == std::map<std::string, SysTime>{{"ENG-1", at_ms(9000)}});
  CHECK(store->snoozed_tickets("T1", "C1", at_ms(4999)).size() == 2);
  CHECK(store->snoozed_tickets("T2", "C1", at_ms(0)).empty());
}

TEST_CASE("the nudge queries search indexes instead of reading whole tables", "[nudges][sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  insert(*store, status(1000, "ENG-1", TicketState::blocked));
  transact(*store, [&] {
    store->add_holidays("T1", "C1", ymd(2026, 1, 1), ymd(2026, 1, 1));
    store->snooze("T1", "ENG-1", at_ms(2000));
  });
  configure_quiet_days(*store, "C1", 4);
  auto& db = store->sql();

  const auto check_no_scans = [](const std::vector<test::QueryPlan>& plans) {
    REQUIRE_FALSE(plans.empty());
    for (const auto& plan : plans) {
      INFO(plan.sql);
      for (const auto& step : plan.steps) CHECK_FALSE(test::is_scan(step));
    }
  };
  SECTION("nudge candidates") {
    const auto plans = test::plans_of(db, [&] { REQUIRE(store->nudge_candidates(at_ms(5000)).size() == 1); });
    check_no_scans(plans);
    // The index alone answers for the tickets: no lookup of each one's row.
    const auto covered = [](const test::QueryPlan& plan) {
      return std::any_of(plan.steps.begin(), plan.steps.end(), [](const std::string& step) {
        return step.find("COVERING INDEX open_tickets_by_last_update ") != std::string::npos;
      });
    };
    REQUIRE(plans.size() >= 2);
    CHECK(covered(plans[0]));  // the count
    CHECK(covered(plans[1]));  // the rows
  }
  SECTION("nudged quiet tickets") {
    const auto plans = test::plans_of(db, [&] { store->nudged_quiet_tickets("T1", "C1", at_ms(5000)); });
    check_no_scans(plans);
    CHECK(plans.front().uses("open_tickets_by_channel"));
  }
  SECTION("open tickets") {
    const auto plans = test::plans_of(db, [&] { REQUIRE(store->open_tickets("T1", "C1").size() == 1); });
    check_no_scans(plans);
    CHECK(plans.front().uses("open_tickets_by_channel"));
  }
  SECTION("snoozed tickets") {
    const auto plans =
        test::plans_of(db, [&] { REQUIRE(store->snoozed_tickets("T1", "C1", at_ms(1000)).size() == 1); });
    check_no_scans(plans);
    CHECK(plans.front().uses("open_tickets_by_channel"));
  }
  SECTION("owner profiles and holidays") {
    check_no_scans(test::plans_of(db, [&] { store->owner_profiles("T1", {"U1", "U2"}); }));
    check_no_scans(test::plans_of(db, [&] { store->channel_holidays("T1", "C1"); }));
  }
}
