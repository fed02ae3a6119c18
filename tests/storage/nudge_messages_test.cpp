#include <catch2/catch.hpp>

#include <stdexcept>

#include "fixtures.hpp"
#include "microalign/storage/nudge_messages.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::transact;

TEST_CASE("a nudge DM's blocks are remembered and replaced by the latest version", "[nudge_messages]") {
  test::TempDir dir;
  auto store = Store::open(dir.file("db.sqlite"));
  const MessageRef dm{"T1", "D1", "1700000000.000100"};
  CHECK_FALSE(nudge_message_blocks(*store, dm));
  transact(*store, [&] { remember_nudge_message(*store, dm, "[1]", at_ms(1)); });
  transact(*store, [&] { remember_nudge_message(*store, dm, "[2]", at_ms(2)); });
  CHECK(nudge_message_blocks(*store, dm) == "[2]");
  CHECK_FALSE(nudge_message_blocks(*store, MessageRef{"T1", "D1", "1700000000.000200"}));
  CHECK_FALSE(nudge_message_blocks(*store, MessageRef{"T2", "D1", dm.ts}));
  CHECK_THROWS_AS(remember_nudge_message(*store, dm, "[3]", at_ms(3)), std::logic_error);
}
