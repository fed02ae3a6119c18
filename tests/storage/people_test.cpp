// Which platform each workspace is on, and people's direct conversations with the bot.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include <stdexcept>

#include "fixtures.hpp"
#include "microalign/storage/people.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::transact;

TEST_CASE("a workspace's platform is the one remembered last", "[people][sqlite]") {
  test::TempDir dir;
  auto store = SqliteStore::open(dir.file("db.sqlite"));
  CHECK_FALSE(store->workspace_platform("T1"));
  transact(*store, [&] { store->remember_workspace("T1", "slack"); });
  transact(*store, [&] { store->remember_workspace("T2", "teams"); });
  CHECK(store->workspace_platform("T1") == "slack");
  CHECK(store->workspace_platform("T2") == "teams");

  SECTION("the same platform again writes nothing") {
    const int changes = store->sql().getTotalChanges();
    transact(*store, [&] { store->remember_workspace("T1", "slack"); });
    CHECK(store->sql().getTotalChanges() == changes);
    CHECK(store->workspace_platform("T1") == "slack");
  }
  SECTION("another platform replaces it") {
    transact(*store, [&] { store->remember_workspace("T1", "sandbox"); });
    CHECK(store->workspace_platform("T1") == "sandbox");
    CHECK(store->workspace_platform("T2") == "teams");
  }
  CHECK_THROWS_AS(store->remember_workspace("T3", "slack"), std::logic_error);
}

TEST_CASE("a person's direct conversation is remembered per platform and workspace", "[people][sqlite]") {
  test::TempDir dir;
  auto store = SqliteStore::open(dir.file("db.sqlite"));
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
    return store->sql()
        .execAndGet("SELECT updated_at FROM direct_conversations WHERE platform = 'slack' AND user = 'U1'")
        .getInt64();
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
