// A database at schema version 10 opens with migration 011: its updates and seen events are kept
// (a redelivered event is still recognised), and the decision log starts empty, ready for use.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "fixtures.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "old_schema.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::TempDir;

TEST_CASE("a version 10 database gains the decision log, its seen events kept", "[sqlite]") {
  TempDir dir;
  const auto path = dir.file("bot.db");
  {
    auto db = test::database_at_version(path, 10);
    db.exec(R"(
      INSERT INTO updates (id, created_at, team, channel, thread, user, source, kind, state,
                           delay_days, blocked_on, text, echo_ref, source_ref) VALUES
        (1, 1000, 'T1', 'C1', '', 'U1', 'mention', 'heads_up', NULL, NULL, '', 'fyi', NULL, '1.1');
      INSERT INTO seen_events (event_id, seen_at, update_id) VALUES ('Ev1', 1000, 1);
    )");
  }
  auto store = SqliteStore::open(path);
  CHECK(store->schema_version() == SqliteStore::latest_schema_version());
  CHECK(store->schema_version() >= 11);
  CHECK(store->decisions({}).empty());

  const auto again = test::transact(*store, [&] { return store->insert_update(test::make_update("fyi"), "Ev1"); });
  CHECK(again.duplicate);
  CHECK(again.update_id == 1);
  // The event an update came in is no decision's.
  Decision d;
  d.created_at = at_ms(2000);
  d.where = {"T1", "C1", ""};
  d.owner = "U1";
  d.parsed.title = "Storage";
  d.parsed.decision = "PostgreSQL";
  d.parsed.rationale = "replicas";
  const auto seen = test::transact(*store, [&] { return store->insert_decision(d, "Ev1"); });
  CHECK(seen.duplicate);
  CHECK(seen.decision_id == 0);
  const auto stored = test::transact(*store, [&] { return store->insert_decision(d, "Ev2"); });
  CHECK_FALSE(stored.duplicate);
  CHECK(store->find_decision(stored.decision_id)->parsed.title == "Storage");
}
