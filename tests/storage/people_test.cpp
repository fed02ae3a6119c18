// Which platform each workspace is on, and people's direct conversations with the bot.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <stdexcept>

#include "../../storage/postgres/pg.hpp"
#include "engines.hpp"
#include "microalign/storage/people.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::transact;

namespace {}  // namespace

TEST_CASE("a workspace's platform is the one remembered last", "[people]") {
  test::TestDatabase db;
  auto store = db.open();
  CHECK_FALSE(store->workspace_platform("T1"));
  transact(*store, [&] { store->remember_workspace("T1", "slack"); });
  transact(*store, [&] { store->remember_workspace("T2", "teams"); });
  CHECK(store->workspace_platform("T1") == "slack");
  CHECK(store->workspace_platform("T2") == "teams");

  SECTION("the same platform again keeps it") {
    transact(*store, [&] { store->remember_workspace("T1", "slack"); });
    CHECK(store->workspace_platform("T1") == "slack");
  }
  SECTION("another platform replaces it") {
    transact(*store, [&] { store->remember_workspace("T1", "sandbox"); });
    CHECK(store->workspace_platform("T1") == "sandbox");
    CHECK(store->workspace_platform("T2") == "teams");
  }
  CHECK_THROWS_AS(store->remember_workspace("T3", "slack"), std::logic_error);
}

TEST_CASE("remembering a workspace's platform again writes nothing to the file", "[people][sqlite]") {
  test::TempDir dir;
  auto store = SqliteStore::open(dir.file("db.sqlite"));
  transact(*store, [&] { store->remember_workspace("T1", "slack"); });
  const int changes = store->sql().getTotalChanges();
  transact(*store, [&] { store->remember_workspace("T1", "slack"); });
  CHECK(store->sql().getTotalChanges() == changes);
  CHECK(store->workspace_platform("T1") == "slack");
}

TEST_CASE("a person's direct conversation is remembered per platform and workspace", "[people]") {
  test::TestDatabase db;
  auto store = db.open();
  CHECK_FALSE(store->direct_conversation("slack", "T1", "U1"));
  transact(*store, [&] {
    store->remember_direct_conversation("slack", "T1", "U1", "D1", at_ms(1000));
    store->remember_direct_conversation("slack", "T1", "U2", "D2", at_ms(1000));
    store->remember_direct_conversation("teams", "T1", "U1", "a:1", at_ms(1000));
  });
  CHECK(store->direct_conversation("slack", "T1", "U1") == "D1");
  CHECK(store->direct_conversation("slack", "T1", "U2") == "D2");
  CHECK(store->direct_conversation("teams", "T1", "U1") == "a:1");
  CHECK_FALSE(store->direct_conversation("slack", "T2", "U1"));
  CHECK_FALSE(store->direct_conversation("sandbox", "T1", "U1"));

  auto learned_at = [&] {
    return std::stoll(
        test::ask(*store, "SELECT updated_at FROM direct_conversations WHERE platform = 'slack' AND \"user\" = 'U1'"));
  };
  SECTION("the same conversation again changes nothing") {
    transact(*store, [&] { store->remember_direct_conversation("slack", "T1", "U1", "D1", at_ms(2000)); });
    CHECK(learned_at() == 1000);
  }
  SECTION("a new one replaces it") {
    transact(*store, [&] { store->remember_direct_conversation("slack", "T1", "U1", "D9", at_ms(2000)); });
    CHECK(store->direct_conversation("slack", "T1", "U1") == "D9");
    CHECK(learned_at() == 2000);
  }
  CHECK_THROWS_AS(store->remember_direct_conversation("slack", "T1", "U3", "D3", at_ms(3000)), std::logic_error);
}

TEST_CASE("names are remembered per workspace, the latest kept, an empty one never", "[people]") {
  test::TestDatabase db;
  auto store = db.open();
  CHECK(store->known_names("T1").empty());
  transact(*store, [&] {
    store->remember_name("T1", "U1", "ann", at_ms(1000));
    store->remember_name("T1", "U2", "bob", at_ms(1000));
    store->remember_name("T2", "U1", "other ann", at_ms(1000));
    store->remember_name("T1", "U2", "", at_ms(2000));
    store->remember_name("T1", "U3", "", at_ms(2000));
  });
  CHECK(store->known_names("T1") == std::map<std::string, std::string>{{"U1", "ann"}, {"U2", "bob"}});
  transact(*store, [&] { store->remember_name("T1", "U1", "Ann B.", at_ms(3000)); });
  CHECK(store->known_names("T1").at("U1") == "Ann B.");
  CHECK(store->known_names("T2") == std::map<std::string, std::string>{{"U1", "other ann"}});
  CHECK_THROWS_AS(store->remember_name("T1", "U1", "ann", at_ms(4000)), std::logic_error);
}

TEST_CASE("a channel without settings is in the workspace of its latest update", "[people]") {
  test::TestDatabase db;
  auto store = db.open();
  CHECK_FALSE(store->team_of_channel("C1"));
  Update u = test::make_update("first");
  test::insert(*store, u);
  CHECK(store->team_of_channel("C1") == "T1");
  u.where.team = "T2";
  test::insert(*store, u);
  CHECK(store->team_of_channel("C1") == "T2");
  CHECK_FALSE(store->team_of_channel("C2"));
}
