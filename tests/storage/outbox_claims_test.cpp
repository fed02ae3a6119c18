// Claims on the outbox (Outbox::claim_due, hold): of several senders on one database (replicas),
// one sends each message; a destination's messages go one at a time, in order; pacing and
// Retry-After holds bind every sender. On both engines (tests/storage/engines.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <future>
#include <set>

#include "engines.hpp"
#include "fixtures.hpp"
#include "microalign/storage/outbox.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::TestDatabase;
using test::transact;

namespace {

OutboxMessage to(std::string destination, std::string text, std::int64_t due_ms = 1000) {
  OutboxMessage m;
  m.platform = "slack";
  m.team = "T1";
  m.destination = std::move(destination);
  m.delivery = Delivery::post;
  m.message.fallback = std::move(text);
  m.created_at = at_ms(due_ms);
  m.not_before = at_ms(due_ms);
  return m;
}

std::int64_t queue(Engine& store, OutboxMessage m) {
  return transact(store, [&] { return store.enqueue(std::move(m)); });
}

// What a claim at `now_ms` (for 30 s) returns, as texts in order.
std::vector<std::string> claim(Engine& store, std::int64_t now_ms, int limit = 50) {
  std::vector<std::string> texts;
  const auto claimed =
      transact(store, [&] { return store.claim_due("slack", at_ms(now_ms), limit, at_ms(now_ms + 30'000)); });
  for (const auto& m : claimed) texts.push_back(m.message.fallback);
  return texts;
}

using Texts = std::vector<std::string>;

}  // namespace

TEST_CASE("a claim takes the first due message of each destination, in the order they fell due") {
  TestDatabase database;
  auto store = database.open();
  queue(*store, to("C1", "c1 first", 1000));
  queue(*store, to("C2", "c2 first", 1500));
  queue(*store, to("C1", "c1 second", 1200));
  queue(*store, to("C3", "c3 later", 9000));
  CHECK(claim(*store, 2000) == Texts{"c1 first", "c2 first"});
  SECTION("what is claimed is not claimed again while the lease runs, nor what waits behind it") {
    CHECK(claim(*store, 3000).empty());
    CHECK(store->next_due("slack") == at_ms(9000));  // C3's; C1 and C2 wait for their claims
    CHECK(claim(*store, 9000) == Texts{"c3 later"});
  }
  SECTION("a claim that ran out is claimed again: its sender is gone") {
    CHECK(claim(*store, 32'000) == Texts{"c1 first", "c2 first", "c3 later"});
  }
  SECTION("settling ends the claim: the destination's next message may go") {
    transact(*store, [&] { store->mark_sent(1, SentMessage{"C1", "1.1"}, at_ms(2100)); });
    transact(*store, [&] { store->retry_later(2, at_ms(60'000), "ratelimited"); });
    CHECK(claim(*store, 2200) == Texts{"c1 second"});
    transact(*store, [&] { store->mark_sent(3, SentMessage{"C1", "1.2"}, at_ms(2300)); });
    CHECK(claim(*store, 60'000) == Texts{"c3 later", "c2 first"});  // in the order they fell due
  }
  SECTION("a claim given back unsent may be claimed at once") {
    transact(*store, [&] { store->release(2); });
    CHECK(claim(*store, 3000) == Texts{"c2 first"});
  }
  SECTION("nor before its lease ends") { CHECK(claim(*store, 31'999) == Texts{"c3 later"}); }
}

TEST_CASE("a claim takes at most its limit, the earliest first") {
  TestDatabase database;
  auto store = database.open();
  queue(*store, to("C2", "later", 1500));
  queue(*store, to("C1", "earlier", 1000));
  CHECK(claim(*store, 2000, 1) == Texts{"earlier"});
  CHECK(claim(*store, 2000, 1) == Texts{"later"});
}

TEST_CASE("holds keep a destination's or a delivery's messages back until they end, on every sender") {
  TestDatabase database;
  auto store = database.open();
  queue(*store, to("C1", "to c1"));
  queue(*store, to("C2", "to c2"));
  OutboxMessage dm = to("U7", "dm");
  dm.delivery = Delivery::direct;
  queue(*store, dm);
  transact(*store, [&] {
    store->hold("slack", HoldKind::destination, "C1", at_ms(3000));
    store->hold("slack", HoldKind::delivery, "direct", at_ms(5000));
    store->hold("slack", HoldKind::delivery, "direct", at_ms(4000));  // a shorter hold does not shorten it
    store->hold("teams", HoldKind::destination, "C2", at_ms(9000));   // another platform's
  });
  CHECK(store->next_due("slack") == at_ms(1000));  // C2's
  CHECK(claim(*store, 2000) == Texts{"to c2"});
  CHECK(store->next_due("slack") == at_ms(3000));
  CHECK(claim(*store, 3000) == Texts{"to c1"});
  CHECK(claim(*store, 4500).empty());
  CHECK(claim(*store, 5000) == Texts{"dm"});
  SECTION("housekeeping forgets holds that ended") {
    transact(*store, [&] { store->prune_outbox(at_ms(10'000), 100); });
    CHECK(transact(*store, [&] { return store->claim_due("slack", at_ms(0), 10, at_ms(1)); }).empty());
  }
}

TEST_CASE("senders claiming at the same moment on other connections never get the same message") {
  TestDatabase database;
  auto setup = database.open();
  for (int i = 0; i < 200; ++i) queue(*setup, to("C" + std::to_string(i), "m" + std::to_string(i)));
  std::vector<std::unique_ptr<Engine>> senders;
  for (int i = 0; i < 3; ++i) senders.push_back(database.open());
  std::vector<std::future<std::vector<std::string>>> claims;
  for (auto& sender : senders) {
    claims.push_back(std::async(std::launch::async, [&store = *sender] {
      std::vector<std::string> mine;
      for (int round = 0; round < 10; ++round) {
        for (auto& text : claim(store, 2000, 10)) mine.push_back(text);
      }
      return mine;
    }));
  }
  std::multiset<std::string> all;
  for (auto& c : claims) {
    for (auto& text : c.get()) all.insert(text);
  }
  CHECK(all.size() == 200);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == 200);  // each once
}
