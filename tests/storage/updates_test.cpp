// Storing and reading updates: round trip, filters, the ticket summary, event de-duplication.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <future>
#include <thread>

#include "../../storage/postgres/pg.hpp"
#include "engines.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::make_update;
using test::TestDatabase;
using test::transact;

namespace {

std::int64_t insert(Engine& store, const Update& u, std::string_view event_id = {}) {
  return transact(store, [&] { return store.insert_update(u, event_id).update_id; });
}

std::vector<std::string> texts(const std::vector<Update>& updates) {
  std::vector<std::string> out;
  for (const auto& u : updates) out.push_back(u.parsed.text);
  return out;
}

int count(Engine& store, const std::string& table) {
  return std::stoi(*test::first_row(store, "SELECT count(*) FROM " + table, 1).at(0));
}

struct TicketRow {
  std::string channel, owner;
  std::int64_t last_update_id;
  std::optional<std::string> last_state;
  std::int64_t last_update_at, first_seen_at;
};

TicketRow ticket(Engine& store, const std::string& key) {
  // Keys in the tests are plain ("ENG-1"): written into the SQL as they are.
  const auto row = test::first_row(store,
                                   "SELECT channel, owner, last_update_id, last_state, last_update_at,"
                                   " first_seen_at FROM tickets WHERE team = 'T1' AND key = '" +
                                       key + "'",
                                   6);
  return TicketRow{*row[0], *row[1], std::stoll(*row[2]), row[3], std::stoll(*row[4]), std::stoll(*row[5])};
}

Update status(std::string user, std::optional<TicketState> state, SysTime at,
              std::vector<std::string> tickets, UpdateKind kind = UpdateKind::status) {
  Update u = make_update(user + " says", at);
  u.user = std::move(user);
  u.parsed.kind = kind;
  u.parsed.state = state;
  u.parsed.tickets = std::move(tickets);
  return u;
}

}  // namespace

TEST_CASE("an update round-trips with everything it carries") {
  TestDatabase db;
  auto store = db.open();
  Update u = make_update("ENG-42 slips 3 days, see https://a.example and https://b.example");
  u.where = {"T9", "C9", "1700000000.000100"};
  u.user = "U7";
  u.source = UpdateSource::mention;
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = TicketState::delayed;
  u.parsed.delay_days = 3;
  u.parsed.blocked_on = "design review";
  u.parsed.tickets = {"ENG-42", "acme/web#9"};
  u.parsed.links = {"https://a.example", "https://b.example"};

  const auto id = insert(*store, u);
  auto found = store->find_update(id);
  REQUIRE(found);
  CHECK(found->id == id);
  CHECK(found->created_at == u.created_at);
  CHECK(found->where.team == "T9");
  CHECK(found->where.channel == "C9");
  CHECK(found->where.thread == "1700000000.000100");
  CHECK(found->user == "U7");
  CHECK(found->source == UpdateSource::mention);
  CHECK(found->parsed.kind == UpdateKind::status);
  CHECK(found->parsed.state == TicketState::delayed);
  CHECK(found->parsed.delay_days == 3);
  CHECK(found->parsed.blocked_on == "design review");
  CHECK(found->parsed.text == u.parsed.text);
  CHECK(found->parsed.tickets == u.parsed.tickets);
  CHECK(found->parsed.links == u.parsed.links);
  CHECK(found->echo_ref.empty());

  store->set_echo_ref(id, "1700000000.000200");
  CHECK(store->find_update(id)->echo_ref == "1700000000.000200");
  CHECK_FALSE(store->find_update(id + 1));
}

TEST_CASE("tickets and links read back exactly, whatever characters they hold") {
  TestDatabase db;
  auto store = db.open();
  Update u = make_update("odd lists");
  u.parsed.tickets = {"a\"b", "c\\d", "e,f", "{g}", "", " h ", "NULL", "ENG-1"};
  u.parsed.links = {"https://x.example/?q=\"1\",2", "https://x.example/\\{}"};
  const auto found = store->find_update(insert(*store, u));
  REQUIRE(found);
  CHECK(found->parsed.tickets == u.parsed.tickets);
  CHECK(found->parsed.links == u.parsed.links);
}

TEST_CASE("an update without state, delay or lists reads back without them") {
  TestDatabase db;
  auto store = db.open();
  const auto found = store->find_update(insert(*store, make_update("plain")));
  REQUIRE(found);
  CHECK_FALSE(found->parsed.state);
  CHECK_FALSE(found->parsed.delay_days);
  CHECK(found->parsed.tickets.empty());
  CHECK(found->parsed.links.empty());
}

TEST_CASE("updates() selects by team, channel and time, oldest first, lists attached") {
  TestDatabase db;
  auto store = db.open();
  auto add = [&](std::string text, std::string team, std::string channel, std::int64_t ms,
                 std::vector<std::string> tickets) {
    Update u = make_update(std::move(text), at_ms(ms));
    u.where.team = std::move(team);
    u.where.channel = std::move(channel);
    u.parsed.tickets = tickets;
    u.parsed.links = {"https://x.example/" + u.parsed.text};
    insert(*store, u);
  };
  add("a", "T1", "C1", 1000, {"ENG-1"});
  add("b", "T1", "C2", 2000, {"ENG-2", "ENG-3"});
  add("c", "T2", "C1", 3000, {});
  add("d", "T1", "C1", 4000, {"ENG-4"});
  add("e", "T1", "C1", 500, {"ENG-5"});  // stored last, though its clock says earlier

  CHECK(texts(store->updates({})) == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(texts(store->updates({.channel = "C1"})) == std::vector<std::string>{"a", "c", "d", "e"});
  CHECK(texts(store->updates({.team = "T1", .channel = "C1"})) ==
        std::vector<std::string>{"a", "d", "e"});
  CHECK(texts(store->updates({.since = at_ms(2000)})) == std::vector<std::string>{"b", "c", "d"});
  CHECK(texts(store->updates({.team = "T1", .channel = "C1", .since = at_ms(1000)})) ==
        std::vector<std::string>{"a", "d"});
  CHECK(store->updates({.channel = "C3"}).empty());

  const auto all = store->updates({});
  CHECK(all[0].parsed.tickets == std::vector<std::string>{"ENG-1"});
  CHECK(all[1].parsed.tickets == std::vector<std::string>{"ENG-2", "ENG-3"});
  CHECK(all[2].parsed.tickets.empty());
  CHECK(all[3].parsed.tickets == std::vector<std::string>{"ENG-4"});
  for (const auto& u : all) {
    CHECK(u.parsed.links == std::vector<std::string>{"https://x.example/" + u.parsed.text});
  }
}

TEST_CASE("the ticket summary follows the latest update") {
  TestDatabase db;
  auto store = db.open();

  const auto first = insert(*store, status("U1", TicketState::on_track, at_ms(1000), {"ENG-1"}));
  auto row = ticket(*store, "ENG-1");
  CHECK(row.channel == "C1");
  CHECK(row.owner == "U1");
  CHECK(row.last_update_id == first);
  CHECK(row.last_state == "on_track");
  CHECK(row.last_update_at == 1000);
  CHECK(row.first_seen_at == 1000);

  SECTION("a question elsewhere moves the last update but not the owner or the state") {
    Update question = status("U2", std::nullopt, at_ms(2000), {"ENG-1"}, UpdateKind::question);
    question.where.channel = "C2";
    const auto second = insert(*store, question);
    row = ticket(*store, "ENG-1");
    CHECK(row.channel == "C2");
    CHECK(row.owner == "U1");
    CHECK(row.last_update_id == second);
    CHECK(row.last_state == "on_track");
    CHECK(row.last_update_at == 2000);
    CHECK(row.first_seen_at == 1000);
  }
  SECTION("a status update from someone else takes it over") {
    const auto second = insert(*store, status("U3", TicketState::blocked, at_ms(3000), {"ENG-1"}));
    row = ticket(*store, "ENG-1");
    CHECK(row.owner == "U3");
    CHECK(row.last_update_id == second);
    CHECK(row.last_state == "blocked");
  }
  SECTION("a status update without a state keeps the state but takes ownership") {
    insert(*store, status("U4", std::nullopt, at_ms(3000), {"ENG-1"}));
    row = ticket(*store, "ENG-1");
    CHECK(row.owner == "U4");
    CHECK(row.last_state == "on_track");
  }
  SECTION("a ticket first named in a heads-up is owned by its author") {
    insert(*store, status("U5", std::nullopt, at_ms(4000), {"ENG-1", "ENG-2"}, UpdateKind::heads_up));
    row = ticket(*store, "ENG-2");
    CHECK(row.owner == "U5");
    CHECK_FALSE(row.last_state);
    CHECK(ticket(*store, "ENG-1").owner == "U1");
  }
}

TEST_CASE("an event id is stored once, also across restarts") {
  TestDatabase db;
  std::int64_t first = 0;
  {
    auto store = db.open();
    store->begin();
    const auto a = store->insert_update(make_update("once"), "Ev1");
    const auto b = store->insert_update(make_update("twice"), "Ev1");
    store->commit();
    first = a.update_id;
    CHECK_FALSE(a.duplicate);
    CHECK(b.duplicate);
    CHECK(b.update_id == first);
    CHECK(count(*store, "updates") == 1);
  }
  auto store = db.open();
  store->begin();
  const auto again = store->insert_update(make_update("after restart"), "Ev1");
  store->commit();
  CHECK(again.duplicate);
  CHECK(again.update_id == first);
  CHECK(texts(store->updates({})) == std::vector<std::string>{"once"});
}

TEST_CASE("an event stored by two connections at the same moment is stored once") {
  TestDatabase db;
  auto first = db.open();
  auto second = db.open();
  first->begin();
  const auto claimed = first->insert_update(make_update("first"), "Ev1");
  // The second waits for the first's transaction (its lock on SQLite, the event's key on
  // PostgreSQL), then finds the event taken.
  auto retry = std::async(std::launch::async, [&] {
    return transact(*second, [&] { return second->insert_update(make_update("second"), "Ev1"); });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // usually waiting by now; either way the same
  first->commit();
  const auto duplicate = retry.get();
  CHECK_FALSE(claimed.duplicate);
  CHECK(duplicate.duplicate);
  CHECK(duplicate.update_id == claimed.update_id);
  CHECK(texts(first->updates({})) == std::vector<std::string>{"first"});
}

TEST_CASE("updates without an event id are never de-duplicated") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, make_update("same"));
  insert(*store, make_update("same"));
  CHECK(count(*store, "updates") == 2);
  CHECK(count(*store, "seen_events") == 0);
}

TEST_CASE("an event marked seen without an update makes its retry a duplicate of nothing") {
  TestDatabase db;
  auto store = db.open();
  CHECK(store->mark_event_seen("Ev2", at_ms(1000)));
  CHECK_FALSE(store->mark_event_seen("Ev2", at_ms(2000)));
  store->begin();
  const auto retry = store->insert_update(make_update("late"), "Ev2");
  store->commit();
  CHECK(retry.duplicate);
  CHECK(retry.update_id == 0);
  CHECK(count(*store, "updates") == 0);
}

TEST_CASE("pruning forgets only event ids seen before the cut-off") {
  TestDatabase db;
  auto store = db.open();
  store->mark_event_seen("old", at_ms(1000));
  insert(*store, make_update("recent", at_ms(5000)), "new");
  CHECK(store->prune_seen_events(at_ms(3000)) == 1);
  CHECK(store->mark_event_seen("old", at_ms(6000)));
  CHECK_FALSE(store->mark_event_seen("new", at_ms(6000)));
  CHECK(count(*store, "updates") == 1);
}

TEST_CASE("an update is only stored inside a transaction, and a rollback takes it back") {
  TestDatabase db;
  auto store = db.open();
  CHECK_THROWS_AS(store->insert_update(make_update("loose")), std::logic_error);
  store->begin();
  Update u = make_update("undone");
  u.parsed.tickets = {"ENG-1"};
  store->insert_update(u, "Ev3");
  store->rollback();
  store->rollback();  // nothing left to roll back: no error
  CHECK_FALSE(store->in_transaction());
  for (const char* table : {"updates", "update_tickets", "tickets", "seen_events"}) {
    CHECK(count(*store, table) == 0);
  }
}
