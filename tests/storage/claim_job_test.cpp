// Work that one replica at a time should do (housekeeping) is claimed per transaction
// (Store::claim_job): another transaction's claim on the same job, still open, refuses it.
#include <catch2/catch.hpp>

#include "engines.hpp"
#include "transact.hpp"

using namespace microalign::storage;
using test::TestDatabase;
using test::transact;

TEST_CASE("a job is held by one transaction at a time, and free again once it ends") {
  TestDatabase database;
  auto first = database.open();
  auto second = database.open();
  CHECK_THROWS_AS(first->claim_job("housekeeping"), std::logic_error);  // outside a transaction
  if (!database.postgres()) {
    // SQLite's transactions write one at a time: there, a claim always succeeds.
    CHECK(transact(*first, [&] { return first->claim_job("housekeeping"); }));
    return;
  }
  first->begin();
  CHECK(first->claim_job("housekeeping"));
  CHECK(transact(*second, [&] { return !second->claim_job("housekeeping") && second->claim_job("another job"); }));
  first->commit();
  CHECK(transact(*second, [&] { return second->claim_job("housekeeping"); }));
}
