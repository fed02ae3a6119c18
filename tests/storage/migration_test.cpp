// A database written by a binary that knew only migration 001 opens with this one: its data is
// kept, and what 002 adds is filled in (source_ref empty, state_since from each ticket's history).
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "fixtures.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "old_schema.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::TempDir;

namespace {

// A file at schema version 1 holding ENG-1 (blocked, a stateless question, blocked again: one
// run since 1000), ENG-2 (on track, then blocked at 4000) and ENG-3 (never stated), as the 001
// binary stored them, plus an event id it had seen.
void write_version_1(const std::string& path) {
  auto db = test::database_at_version(path, 1);
  db.exec(R"(
    INSERT INTO updates (id, created_at, team, channel, thread, user, source, kind, state,
                         delay_days, blocked_on, text, echo_ref) VALUES
      (1, 1000, 'T1', 'C1', '', 'U1', 'slash', 'status', 'blocked', NULL, 'legal', 'ENG-1 blocked', '1.1'),
      (2, 1500, 'T1', 'C1', '', 'U1', 'slash', 'status', 'on_track', NULL, '', 'ENG-2 fine', NULL),
      (3, 2000, 'T1', 'C1', '100.1', 'U2', 'mention', 'question', NULL, NULL, '', 'ENG-1 when?', NULL),
      (4, 3000, 'T1', 'C1', '', 'U1', 'slash', 'status', 'blocked', NULL, '', 'ENG-1 still blocked', NULL),
      (5, 4000, 'T1', 'C1', '', 'U1', 'slash', 'status', 'blocked', NULL, '', 'ENG-2 blocked', NULL),
      (6, 4500, 'T1', 'C1', '', 'U3', 'slash', 'heads_up', NULL, NULL, '', 'ENG-3 starts', NULL);
    INSERT INTO update_tickets (update_id, position, ticket_key) VALUES
      (1, 0, 'ENG-1'), (2, 0, 'ENG-2'), (3, 0, 'ENG-1'), (4, 0, 'ENG-1'), (5, 0, 'ENG-2'),
      (6, 0, 'ENG-3');
    INSERT INTO update_links (update_id, position, url) VALUES (1, 0, 'https://legal.example');
    INSERT INTO tickets (team, key, channel, owner, last_update_id, last_state, last_update_at,
                         first_seen_at) VALUES
      ('T1', 'ENG-1', 'C1', 'U1', 4, 'blocked', 3000, 1000),
      ('T1', 'ENG-2', 'C1', 'U1', 5, 'blocked', 4000, 1500),
      ('T1', 'ENG-3', 'C1', 'U3', 6, NULL, 4500, 4500);
    INSERT INTO seen_events (event_id, seen_at, update_id) VALUES ('Ev3', 2000, 3);
  )");
}

}  // namespace

TEST_CASE("a version 1 database is migrated with its data kept", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  write_version_1(path);

  auto store = SqliteStore::open(path);
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());
  CHECK(store->schema_version() >= 2);

  const auto all = store->updates({});
  REQUIRE(all.size() == 6);
  CHECK(all[0].parsed.text == "ENG-1 blocked");
  CHECK(all[0].parsed.blocked_on == "legal");
  CHECK(all[0].parsed.links == std::vector<std::string>{"https://legal.example"});
  CHECK(all[0].echo_ref == "1.1");
  CHECK(all[2].where.thread == "100.1");
  CHECK(all[2].source == UpdateSource::mention);
  for (const auto& u : all) CHECK(u.source_ref.empty());

  const auto troubled = store->troubled_tickets("T1", "C1");
  REQUIRE(troubled.size() == 2);
  CHECK(troubled[0].key == "ENG-1");
  CHECK(troubled[0].state_since == at_ms(1000));  // the question did not break the run
  CHECK(troubled[0].last_update.parsed.text == "ENG-1 still blocked");
  CHECK(troubled[1].key == "ENG-2");
  CHECK(troubled[1].state_since == at_ms(4000));
  const auto quiet = store->quiet_tickets("T1", "C1", at_ms(5000));
  REQUIRE(quiet.size() == 3);
  CHECK(quiet[2].key == "ENG-3");
  CHECK(quiet[2].state_since == at_ms(4500));  // never stated: since first seen

  // The seen event still de-duplicates, and new updates carry their source.
  test::transact(*store, [&] {
    CHECK(store->insert_update(test::make_update("retry"), "Ev3").duplicate);
    Update mention = test::make_update("ENG-1 unblocked", at_ms(6000));
    mention.source = UpdateSource::mention;
    mention.source_ref = "200.1";
    mention.parsed.tickets = {"ENG-1"};
    mention.parsed.kind = UpdateKind::status;
    mention.parsed.state = TicketState::on_track;
    store->insert_update(mention);
  });
  CHECK(store->updates({}).back().source_ref == "200.1");
  CHECK(store->troubled_tickets("T1", "C1").size() == 1);
}
