// The digest's facts: each query's selection and order, channel isolation, and index use.
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>

#include "engines.hpp"
#include "fixtures.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/nudges.hpp"
#include "query_plan.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::insert;
using test::plans_of;
using test::TempDir;
using test::TestDatabase;
using test::transact;

namespace {

// An update in T1/C1 by U1 at `ms`, naming `tickets`, with that kind and state.
Update update(std::int64_t ms, std::vector<std::string> tickets, UpdateKind kind,
              std::optional<TicketState> state = std::nullopt) {
  Update u = test::make_update("update at " + std::to_string(ms), at_ms(ms));
  u.parsed.kind = kind;
  u.parsed.state = state;
  u.parsed.tickets = std::move(tickets);
  return u;
}

Update status(std::int64_t ms, const std::string& ticket, std::optional<TicketState> state) {
  return update(ms, {ticket}, UpdateKind::status, state);
}

Update assumption(std::int64_t ms) { return update(ms, {}, UpdateKind::assumption); }

Update in_channel(Update u, std::string team, std::string channel) {
  u.where.team = std::move(team);
  u.where.channel = std::move(channel);
  return u;
}

std::vector<std::string> texts(const std::vector<Update>& updates) {
  std::vector<std::string> out;
  for (const auto& u : updates) out.push_back(u.parsed.text);
  return out;
}

std::vector<std::string> keys(const std::vector<TicketSnapshot>& tickets) {
  std::vector<std::string> out;
  for (const auto& t : tickets) out.push_back(t.key);
  return out;
}

void answer(Engine& store, std::int64_t id, AnswerKind kind, const std::string& user, std::int64_t ms) {
  transact(store, [&] { store.record_answer(id, kind, user, at_ms(ms)); });
}

// Every statement a digest query runs searches an index; none reads a whole table.
void check_no_scans(const std::vector<test::QueryPlan>& plans) {
  REQUIRE_FALSE(plans.empty());
  for (const auto& plan : plans) {
    INFO(plan.sql);
    for (const auto& step : plan.steps) CHECK_FALSE(test::is_scan(step));
  }
}

}  // namespace

TEST_CASE("updates in a window: after its start, up to and including its end, this channel only") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, update(1000, {}, UpdateKind::heads_up));  // at the start: not in (start, end]
  Update first = update(1001, {"ENG-1", "ENG-2"}, UpdateKind::status, TicketState::at_risk);
  first.parsed.links = {"https://a.example"};
  first.source = UpdateSource::mention;
  first.source_ref = "1700000000.000100";
  insert(*store, first);
  insert(*store, in_channel(update(1500, {}, UpdateKind::heads_up), "T1", "C2"));
  insert(*store, in_channel(update(1500, {}, UpdateKind::heads_up), "T2", "C1"));
  insert(*store, update(2000, {"ENG-3"}, UpdateKind::question));  // at the end: included
  insert(*store, update(2001, {}, UpdateKind::heads_up));

  const auto found = store->updates_in_window("T1", "C1", at_ms(1000), at_ms(2000));
  CHECK(texts(found) == std::vector<std::string>{"update at 1001", "update at 2000"});
  REQUIRE(found.size() == 2);
  CHECK(found[0].parsed.tickets == std::vector<std::string>{"ENG-1", "ENG-2"});
  CHECK(found[0].parsed.links == std::vector<std::string>{"https://a.example"});
  CHECK(found[0].parsed.state == TicketState::at_risk);
  CHECK(found[0].source_ref == "1700000000.000100");
  CHECK(found[1].parsed.tickets == std::vector<std::string>{"ENG-3"});
  CHECK(found[1].source_ref.empty());
  CHECK(store->updates_in_window("T1", "C1", at_ms(2001), at_ms(9000)).size() == 0);
}

TEST_CASE("troubled tickets: blocked, then delayed, then at risk, each longest in trouble first") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(100, "RISK-OLD", TicketState::at_risk));
  insert(*store, status(200, "DELAYED", TicketState::delayed));
  insert(*store, status(300, "BLOCKED-NEW", TicketState::blocked));
  insert(*store, status(50, "BLOCKED-OLD", TicketState::blocked));  // stored later, clock earlier
  insert(*store, status(400, "RISK-NEW", TicketState::at_risk));
  insert(*store, status(500, "FINE", TicketState::on_track));
  insert(*store, status(600, "DONE", TicketState::done));
  insert(*store, update(700, {"NO-STATE"}, UpdateKind::heads_up));
  insert(*store, in_channel(status(800, "ELSEWHERE", TicketState::blocked), "T1", "C2"));
  insert(*store, in_channel(status(800, "OTHER-TEAM", TicketState::blocked), "T2", "C1"));
  // Moved: last talked about in C2, so it is C2's trouble now.
  insert(*store, status(900, "MOVED", TicketState::blocked));
  insert(*store, in_channel(update(950, {"MOVED"}, UpdateKind::question), "T1", "C2"));

  const auto found = store->troubled_tickets("T1", "C1");
  CHECK(keys(found) == std::vector<std::string>{"BLOCKED-OLD", "BLOCKED-NEW", "DELAYED",
                                                "RISK-OLD", "RISK-NEW"});
  REQUIRE(found.size() == 5);
  CHECK(found[0].state == TicketState::blocked);
  CHECK(found[0].state_since == at_ms(50));
  CHECK(found[0].owner == "U1");
  CHECK(keys(store->troubled_tickets("T1", "C2")) == std::vector<std::string>{"ELSEWHERE", "MOVED"});
}

TEST_CASE("a troubled ticket carries its latest update whole") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::on_track));
  Update latest = update(2000, {"ENG-1", "ENG-2"}, UpdateKind::status, TicketState::blocked);
  latest.user = "U7";
  latest.parsed.blocked_on = "the API review";
  latest.parsed.links = {"https://review.example/1"};
  const auto id = insert(*store, latest);

  const auto found = store->troubled_tickets("T1", "C1");
  REQUIRE(found.size() == 2);  // both tickets share the update
  for (const auto& t : found) {
    CHECK(t.owner == "U7");
    CHECK(t.last_update_at == at_ms(2000));
    CHECK(t.last_update.id == id);
    CHECK(t.last_update.user == "U7");
    CHECK(t.last_update.parsed.blocked_on == "the API review");
    CHECK(t.last_update.parsed.tickets == std::vector<std::string>{"ENG-1", "ENG-2"});
    CHECK(t.last_update.parsed.links == std::vector<std::string>{"https://review.example/1"});
  }
}

TEST_CASE("state_since is the start of the latest unbroken run of the current state") {
  TestDatabase db;
  auto store = db.open();
  auto since = [&] {
    const auto found = store->troubled_tickets("T1", "C1");
    REQUIRE(found.size() == 1);
    return found.front().state_since;
  };
  insert(*store, update(500, {"ENG-1"}, UpdateKind::heads_up));  // first seen, no state
  insert(*store, status(1000, "ENG-1", TicketState::blocked));
  CHECK(since() == at_ms(1000));

  SECTION("updates that state nothing do not break the run") {
    insert(*store, update(2000, {"ENG-1"}, UpdateKind::question));
    insert(*store, status(3000, "ENG-1", std::nullopt));
    insert(*store, status(4000, "ENG-1", TicketState::blocked));
    CHECK(since() == at_ms(1000));
  }
  SECTION("another state ends the run; the next one starts a new one") {
    insert(*store, status(2000, "ENG-1", TicketState::on_track));
    insert(*store, status(3000, "ENG-1", TicketState::blocked));
    insert(*store, status(4000, "ENG-1", TicketState::blocked));
    CHECK(since() == at_ms(3000));
  }
  SECTION("a change of trouble is a change of state") {
    insert(*store, status(2000, "ENG-1", TicketState::delayed));
    CHECK(since() == at_ms(2000));
  }
  SECTION("a state stated in another channel counts too: the ticket's history is one") {
    insert(*store, in_channel(status(2000, "ENG-1", TicketState::on_track), "T1", "C2"));
    insert(*store, status(3000, "ENG-1", TicketState::blocked));
    CHECK(since() == at_ms(3000));
  }
}

TEST_CASE("quiet tickets: open, last updated at or before the threshold, this channel, oldest first") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(3001, "JUST-AFTER", TicketState::on_track));
  insert(*store, status(3000, "AT-THRESHOLD", TicketState::blocked));
  insert(*store, update(1000, {"NEVER-STATED"}, UpdateKind::heads_up));
  insert(*store, status(500, "DONE", TicketState::done));
  insert(*store, status(2000, "REOPENED", TicketState::done));
  insert(*store, status(2500, "REOPENED", TicketState::at_risk));
  insert(*store, in_channel(status(100, "ELSEWHERE", TicketState::on_track), "T1", "C2"));
  insert(*store, in_channel(status(100, "OTHER-TEAM", TicketState::on_track), "T2", "C1"));
  insert(*store, status(4000, "RECENT", TicketState::on_track));

  // As working_days_before() defines it: an update at the threshold is quiet, one after is not.
  const auto found = store->quiet_tickets("T1", "C1", at_ms(3000));
  CHECK(keys(found) == std::vector<std::string>{"NEVER-STATED", "REOPENED", "AT-THRESHOLD"});
  REQUIRE(found.size() == 3);
  CHECK_FALSE(found[0].state);
  CHECK(found[0].state_since == at_ms(1000));  // never stated: since first seen
  CHECK(found[0].last_update.parsed.tickets == std::vector<std::string>{"NEVER-STATED"});
  CHECK(found[1].state == TicketState::at_risk);
  CHECK(found[1].last_update_at == at_ms(2500));
  CHECK(keys(store->quiet_tickets("T1", "C1", at_ms(3001))).back() == "JUST-AFTER");
}

TEST_CASE("the digest's tickets are owned by whoever was named by hand, as for nudges") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::blocked));
  insert(*store, status(1000, "ENG-2", TicketState::on_track));
  transact(*store, [&] {
    store->set_owner("T1", "ENG-1", "U9");
    store->set_owner("T1", "ENG-2", "U8");
  });
  insert(*store, status(2000, "ENG-3", TicketState::blocked));  // named by nobody: its poster's

  const auto troubled = store->troubled_tickets("T1", "C1");
  REQUIRE(keys(troubled) == std::vector<std::string>{"ENG-1", "ENG-3"});
  CHECK(troubled[0].owner == "U9");
  CHECK(troubled[1].owner == "U1");
  const auto quiet = store->quiet_tickets("T1", "C1", at_ms(5000));
  REQUIRE(keys(quiet) == std::vector<std::string>{"ENG-1", "ENG-2", "ENG-3"});
  CHECK(quiet[0].owner == "U9");
  CHECK(quiet[1].owner == "U8");
  CHECK(quiet[1].last_update.user == "U1");
  CHECK(quiet[2].owner == "U1");
}

TEST_CASE("open assumptions: unanswered, this channel, oldest first") {
  TestDatabase db;
  auto store = db.open();
  const auto first = insert(*store, assumption(1000));
  const auto answered = insert(*store, assumption(2000));
  const auto third = insert(*store, assumption(3000));
  insert(*store, update(1500, {}, UpdateKind::question));
  insert(*store, in_channel(assumption(1500), "T1", "C2"));
  insert(*store, in_channel(assumption(1500), "T2", "C1"));
  answer(*store, answered, AnswerKind::reply, "U2", 2500);

  auto found = store->open_assumptions("T1", "C1");
  REQUIRE(found.size() == 2);
  CHECK(found[0].id == first);
  CHECK(found[1].id == third);

  SECTION("the first answer is kept") {
    answer(*store, third, AnswerKind::reaction, "U3", 4000);
    answer(*store, third, AnswerKind::reply, "U4", 5000);
    CHECK(store->open_assumptions("T1", "C1").size() == 1);
  }
  SECTION("an answer to an update that does not exist is refused") {
    CHECK_THROWS_AS(answer(*store, third + 100, AnswerKind::reply, "U2", 4000), StorageError);
  }
  SECTION("answers are written only inside a transaction") {
    CHECK_THROWS_AS(store->record_answer(first, AnswerKind::reply, "U2", at_ms(4000)), std::logic_error);
  }
}

TEST_CASE("an answer is stored with its kind, its user and its time: the first one's", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  const auto id = insert(*store, assumption(1000));
  answer(*store, id, AnswerKind::reaction, "U3", 4000);
  answer(*store, id, AnswerKind::reply, "U4", 5000);
  SQLite::Statement row(store->sql(), "SELECT kind, user, at FROM assumption_answers WHERE update_id = ?");
  row.bind(1, id);
  REQUIRE(row.executeStep());
  CHECK(row.getColumn(0).getString() == "reaction");
  CHECK(row.getColumn(1).getString() == "U3");
  CHECK(row.getColumn(2).getInt64() == 4000);
}

TEST_CASE("open assumptions at a message: by its echo, its source, or its thread") {
  TestDatabase db;
  auto store = db.open();
  const auto echoed = insert(*store, assumption(1000));
  store->set_echo_ref(echoed, "100.1");
  Update mention = assumption(2000);
  mention.source = UpdateSource::mention;
  mention.source_ref = "200.1";
  const auto mentioned = insert(*store, mention);
  Update threaded = assumption(3000);
  threaded.where.thread = "300.1";
  const auto in_thread = insert(*store, threaded);
  Update not_an_assumption = update(3500, {}, UpdateKind::question);
  not_an_assumption.where.thread = "300.1";
  insert(*store, not_an_assumption);
  Update elsewhere = in_channel(assumption(4000), "T1", "C2");
  elsewhere.where.thread = "300.1";
  insert(*store, elsewhere);

  auto ids = [&](const std::string& ts) {
    std::vector<std::int64_t> out;
    for (const auto& u : store->open_assumptions_at("T1", "C1", ts)) out.push_back(u.id);
    return out;
  };
  CHECK(ids("100.1") == std::vector<std::int64_t>{echoed});
  CHECK(ids("200.1") == std::vector<std::int64_t>{mentioned});
  CHECK(ids("300.1") == std::vector<std::int64_t>{in_thread});
  CHECK(ids("999.9").empty());
  CHECK(ids("").empty());  // top-level assumptions have an empty thread, but no message is ""

  answer(*store, mentioned, AnswerKind::reaction, "U2", 5000);
  CHECK(ids("200.1").empty());
}

TEST_CASE("a ticket's timeline: every update of the team naming it, newest first") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::on_track));
  insert(*store, update(1500, {"ENG-2"}, UpdateKind::heads_up));
  insert(*store, in_channel(update(2000, {"ENG-2", "ENG-1"}, UpdateKind::question), "T1", "C2"));
  insert(*store, in_channel(status(2500, "ENG-1", TicketState::done), "T2", "C1"));
  insert(*store, status(3000, "ENG-1", TicketState::blocked));

  const auto found = store->ticket_timeline("T1", "ENG-1");
  CHECK(texts(found) == std::vector<std::string>{"update at 3000", "update at 2000", "update at 1000"});
  REQUIRE(found.size() == 3);
  CHECK(found[1].parsed.tickets == std::vector<std::string>{"ENG-2", "ENG-1"});
  CHECK(store->ticket_timeline("T1", "ENG-9").empty());
}

TEST_CASE("a ticket's answers: its answered assumptions of the team, each with who answered first") {
  TestDatabase db;
  auto store = db.open();
  const auto answered = insert(*store, update(1000, {"ENG-1"}, UpdateKind::assumption));
  const auto open = insert(*store, update(2000, {"ENG-1"}, UpdateKind::assumption));
  const auto other_ticket = insert(*store, update(3000, {"ENG-2"}, UpdateKind::assumption));
  const auto other_team = insert(*store, in_channel(update(4000, {"ENG-1"}, UpdateKind::assumption), "T2", "C1"));
  answer(*store, answered, AnswerKind::reply, "U2", 5000);
  answer(*store, answered, AnswerKind::reaction, "U3", 6000);  // not the first: not kept
  answer(*store, other_ticket, AnswerKind::reply, "U2", 5000);
  answer(*store, other_team, AnswerKind::reply, "U9", 5000);

  CHECK(store->ticket_answers("T1", "ENG-1") == std::map<std::int64_t, std::string>{{answered, "U2"}});
  CHECK_FALSE(store->ticket_answers("T1", "ENG-1").contains(open));
  CHECK(store->ticket_answers("T2", "ENG-1") == std::map<std::int64_t, std::string>{{other_team, "U9"}});
  CHECK(store->ticket_answers("T1", "ENG-9").empty());
}

TEST_CASE("the digest queries search indexes instead of reading whole tables", "[sqlite]") {
  TempDir dir;
  auto store = SqliteStore::open(dir.file("bot.db"));
  insert(*store, status(1000, "ENG-1", TicketState::blocked));
  const auto a = insert(*store, assumption(1000));
  store->set_echo_ref(a, "1.1");
  auto& db = store->sql();

  SECTION("quiet tickets") {
    const auto plans = plans_of(db, [&] { store->quiet_tickets("T1", "C1", at_ms(5000)); });
    check_no_scans(plans);
    CHECK(plans.front().uses("open_tickets_by_channel"));
  }
  SECTION("troubled tickets") {
    const auto plans = plans_of(db, [&] { store->troubled_tickets("T1", "C1"); });
    check_no_scans(plans);
    CHECK(plans.front().uses("troubled_tickets_by_channel"));
  }
  SECTION("updates in a window") {
    check_no_scans(plans_of(db, [&] { store->updates_in_window("T1", "C1", at_ms(0), at_ms(5000)); }));
  }
  SECTION("open assumptions") {
    check_no_scans(plans_of(db, [&] { store->open_assumptions("T1", "C1"); }));
  }
  SECTION("open assumptions at a message") {
    const auto plans = plans_of(db, [&] { store->open_assumptions_at("T1", "C1", "1.1"); });
    check_no_scans(plans);
    for (const char* index : {"assumptions_by_echo", "assumptions_by_source", "assumptions_by_thread"}) {
      CHECK(plans.front().uses(index));
    }
  }
  SECTION("a ticket's timeline") {
    const auto plans = plans_of(db, [&] { store->ticket_timeline("T1", "ENG-1"); });
    check_no_scans(plans);
    CHECK(plans.front().uses("update_tickets_by_key"));
  }
  SECTION("a ticket's answers") {
    const auto plans = plans_of(db, [&] { store->ticket_answers("T1", "ENG-1"); });
    check_no_scans(plans);
    CHECK(plans.front().uses("update_tickets_by_key"));
  }
}
