// Where a platform reaches its conversations: recorded from what it hears, read when sending.
#include <catch2/catch.hpp>

#include "engines.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::TestDatabase;
using test::transact;

TEST_CASE("a conversation is reached where it was last heard from", "[routes]") {
  TestDatabase db;
  auto store = db.open();
  CHECK_FALSE(store->route("teams", "tenant-1", "19:general@thread.tacv2"));

  transact(*store, [&] {
    store->remember_route("teams", "tenant-1", "19:general@thread.tacv2", "https://smba.example/amer/", at_ms(1000));
  });
  CHECK(store->route("teams", "tenant-1", "19:general@thread.tacv2") == "https://smba.example/amer/");

  transact(*store, [&] {
    store->remember_route("teams", "tenant-1", "19:general@thread.tacv2", "https://smba.example/emea/", at_ms(2000));
  });
  CHECK(store->route("teams", "tenant-1", "19:general@thread.tacv2") == "https://smba.example/emea/");
  CHECK_FALSE(store->route("slack", "tenant-1", "19:general@thread.tacv2"));  // per platform
}

TEST_CASE("a conversation not heard from is reached at its team's latest address", "[routes]") {
  TestDatabase db;
  auto store = db.open();
  transact(*store, [&] {
    store->remember_route("teams", "tenant-1", "19:a@thread.tacv2", "https://old.example/", at_ms(1000));
    store->remember_route("teams", "tenant-1", "19:b@thread.tacv2", "https://new.example/", at_ms(2000));
    store->remember_route("teams", "tenant-2", "19:c@thread.tacv2", "https://other.example/", at_ms(3000));
  });
  CHECK(store->route("teams", "tenant-1", "a:new-1:1-chat") == "https://new.example/");
  CHECK_FALSE(store->route("teams", "tenant-3", "a:new-1:1-chat"));
}

TEST_CASE("remembering a route outside a transaction is a programming error", "[routes]") {
  TestDatabase db;
  auto store = db.open();
  CHECK_THROWS_AS(store->remember_route("teams", "t", "c", "https://x.example/", at_ms(1)), std::logic_error);
}
