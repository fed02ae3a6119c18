// The decision log on both engines: round trip, superseding (same team only), filters, a ticket's
// decisions, and event de-duplication as for updates.
#include <catch2/catch.hpp>

#include "engines.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::TestDatabase;
using test::transact;

namespace {

Decision decision(std::string title, SysTime at, std::vector<std::string> tickets = {}) {
  Decision d;
  d.created_at = at;
  d.where = {"T1", "C1", ""};
  d.owner = "U1";
  d.parsed.title = std::move(title);
  d.parsed.decision = "we use PostgreSQL";
  d.parsed.rationale = "replicas share one database";
  d.parsed.tickets = std::move(tickets);
  d.parsed.text = d.parsed.title + ": we use PostgreSQL because replicas share one database";
  return d;
}

DecisionInsertResult insert(Engine& store, const Decision& d, std::string_view event_id = {}) {
  return transact(store, [&] { return store.insert_decision(d, event_id); });
}

std::vector<std::int64_t> ids(const std::vector<Decision>& decisions) {
  std::vector<std::int64_t> out;
  for (const auto& d : decisions) out.push_back(d.id);
  return out;
}

}  // namespace

TEST_CASE("a decision round-trips with everything it carries") {
  TestDatabase db;
  auto store = db.open();
  auto d = decision("Storage", at_ms(1000), {"ENG-42", "acme/web#9"});
  d.where = {"T1", "C9", "1700000000.000100"};
  d.owner = "U7";
  d.source_ref = "1700000000.000200";
  d.parsed.impact = "ops runs one more server";
  d.parsed.links = {"https://github.com/acme/web/pull/9", "https://x.example/\"q\""};

  const auto stored = insert(*store, d);
  REQUIRE_FALSE(stored.duplicate);
  REQUIRE_FALSE(stored.unknown_superseded);
  const auto found = store->find_decision(stored.decision_id);
  REQUIRE(found);
  CHECK(found->id == stored.decision_id);
  CHECK(found->created_at == d.created_at);
  CHECK(found->where.team == "T1");
  CHECK(found->where.channel == "C9");
  CHECK(found->where.thread == "1700000000.000100");
  CHECK(found->owner == "U7");
  CHECK(found->source_ref == "1700000000.000200");
  CHECK(found->parsed.title == "Storage");
  CHECK(found->parsed.decision == "we use PostgreSQL");
  CHECK(found->parsed.rationale == "replicas share one database");
  CHECK(found->parsed.impact == "ops runs one more server");
  CHECK(found->parsed.text == d.parsed.text);
  CHECK(found->parsed.tickets == d.parsed.tickets);
  CHECK(found->parsed.links == d.parsed.links);
  CHECK_FALSE(found->parsed.supersedes);
  CHECK_FALSE(found->superseded_by);
  CHECK_FALSE(store->find_decision(stored.decision_id + 1));
}

TEST_CASE("a decision supersedes one of its own team, and the older one says by which") {
  TestDatabase db;
  auto store = db.open();
  const auto first = insert(*store, decision("Storage", at_ms(1000))).decision_id;
  auto newer = decision("Storage again", at_ms(2000));
  newer.parsed.supersedes = first;
  const auto second = insert(*store, newer).decision_id;

  CHECK(store->find_decision(first)->superseded_by == second);
  CHECK(store->find_decision(second)->parsed.supersedes == first);
  CHECK_FALSE(store->find_decision(second)->superseded_by);

  SECTION("an unknown id writes nothing and says so") {
    auto unknown = decision("Nothing to supersede", at_ms(3000));
    unknown.parsed.supersedes = second + 100;
    const auto refused = insert(*store, unknown, "Ev1");
    CHECK(refused.unknown_superseded);
    CHECK(refused.decision_id == 0);
    CHECK(store->decisions({}).size() == 2);
    // Nor was its event marked seen: sent again, correctly, it is stored.
    unknown.parsed.supersedes = second;
    CHECK_FALSE(insert(*store, unknown, "Ev1").duplicate);
  }
  SECTION("another team's decision cannot be superseded") {
    auto elsewhere = decision("Elsewhere", at_ms(3000));
    elsewhere.where.team = "T2";
    elsewhere.parsed.supersedes = first;
    CHECK(insert(*store, elsewhere).unknown_superseded);
    CHECK(store->find_decision(first)->superseded_by == second);
  }
}

TEST_CASE("decisions() selects by team, channel and time, oldest first") {
  TestDatabase db;
  auto store = db.open();
  const auto a = insert(*store, decision("A", at_ms(1000), {"ENG-1"})).decision_id;
  auto other_channel = decision("B", at_ms(2000));
  other_channel.where.channel = "C2";
  const auto b = insert(*store, other_channel).decision_id;
  auto other_team = decision("C", at_ms(3000));
  other_team.where.team = "T2";
  const auto c = insert(*store, other_team).decision_id;
  const auto d = insert(*store, decision("D", at_ms(4000), {"ENG-1", "ENG-2"})).decision_id;

  CHECK(ids(store->decisions({})) == std::vector{a, b, c, d});
  CHECK(ids(store->decisions({.team = "T1"})) == std::vector{a, b, d});
  CHECK(ids(store->decisions({.team = "T1", .channel = "C1"})) == std::vector{a, d});
  CHECK(ids(store->decisions({.team = "T1", .channel = "C1", .since = at_ms(1001)})) == std::vector{d});
  CHECK(store->decisions({.team = "T1", .channel = "C1"}).back().parsed.tickets ==
        std::vector<std::string>{"ENG-1", "ENG-2"});
}

TEST_CASE("a ticket's decisions are its team's naming it, newest first") {
  TestDatabase db;
  auto store = db.open();
  const auto a = insert(*store, decision("A", at_ms(1000), {"ENG-1"})).decision_id;
  insert(*store, decision("B", at_ms(2000), {"ENG-2"}));
  auto other_team = decision("C", at_ms(3000), {"ENG-1"});
  other_team.where.team = "T2";
  insert(*store, other_team);
  const auto d = insert(*store, decision("D", at_ms(4000), {"OPS-1", "ENG-1"})).decision_id;

  CHECK(ids(store->ticket_decisions("T1", "ENG-1")) == std::vector{d, a});
  CHECK(store->ticket_decisions("T1", "ENG-9").empty());
}

TEST_CASE("a redelivered event stores its decision once") {
  TestDatabase db;
  auto store = db.open();
  const auto first = insert(*store, decision("Storage", at_ms(1000)), "Ev1");
  CHECK_FALSE(first.duplicate);
  const auto again = insert(*store, decision("Storage", at_ms(1500)), "Ev1");
  CHECK(again.duplicate);
  CHECK(again.decision_id == first.decision_id);
  CHECK(store->decisions({}).size() == 1);
  // The event ids of updates and decisions are one set: an update's event is not a decision's.
  transact(*store, [&] { return store->mark_event_seen("Ev2", at_ms(2000)); });
  const auto seen = insert(*store, decision("Other", at_ms(2000)), "Ev2");
  CHECK(seen.duplicate);
  CHECK(seen.decision_id == 0);
}

TEST_CASE("writing a decision outside a transaction is refused") {
  TestDatabase db;
  auto store = db.open();
  CHECK_THROWS_AS(store->insert_decision(decision("Storage", at_ms(1000))), std::logic_error);
}
