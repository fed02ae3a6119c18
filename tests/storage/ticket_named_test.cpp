// `ticket_named_before`: whether a ticket was known before a given update, per team.
#include <catch2/catch.hpp>

#include "engines.hpp"
#include "fixtures.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/nudges.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;

namespace {

Update naming(const std::string& key, const std::string& team = "T1") {
  Update u = test::make_update(key + " on track");
  u.where.team = team;
  u.parsed.kind = UpdateKind::status;
  u.parsed.tickets = {key};
  return u;
}

}  // namespace

TEST_CASE("a ticket is known before an update when an earlier one in the team named it", "[storage][nudges]") {
  test::TestDatabase db;
  auto store = db.open();
  const auto other_team = test::insert(*store, naming("ENG-42", "T2"));
  const auto first = test::insert(*store, naming("ENG-42"));
  const auto second = test::insert(*store, naming("ENG-42"));

  CHECK_FALSE(store->ticket_named_before("T1", "ENG-42", first));  // only its own update, and T2's
  CHECK(store->ticket_named_before("T1", "ENG-42", second));
  CHECK_FALSE(store->ticket_named_before("T1", "ENG-7", second));
  CHECK_FALSE(store->ticket_named_before("T2", "ENG-42", other_team));
  CHECK(store->ticket_named_before("T2", "ENG-42", second));  // T2's own update came before
}
