// Opening a database on either engine (tests/storage/engines.hpp): migrated to this binary's
// schema, once, however many processes open it at the same moment.
#include <catch2/catch.hpp>

#include <future>
#include <vector>

#include "engines.hpp"

using namespace microalign::storage;
using namespace microalign::storage::test;

namespace {

int latest() {
  return testing_postgres() ? PostgresStore::latest_schema_version() : SqliteStore::latest_schema_version();
}

}  // namespace

TEST_CASE("a new database is migrated to this binary's schema, and opening it again changes nothing") {
  TestDatabase database;
  CHECK(database.open()->schema_version() == latest());
  const auto again = database.open();
  CHECK(again->schema_version() == latest());
  CHECK(again->name().find("password") == std::string::npos);
}

TEST_CASE("connections opening an empty database at the same moment apply the schema once, and all work") {
  TestDatabase database;
  std::vector<std::future<std::unique_ptr<Engine>>> opening;
  for (int i = 0; i < 3; ++i) opening.push_back(std::async(std::launch::async, [&] { return database.open(); }));
  for (auto& opened : opening) {
    const auto store = opened.get();  // a second migration would have failed ("already exists")
    CHECK(store->schema_version() == latest());
  }
}
