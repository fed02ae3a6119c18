// Tracker activity (storage/*/tracker_log.cpp): stored once per delivery and ticket, read back for
// timelines and digests, and moving the tickets it names: active again, done when closed or
// merged, open again when reopened — in every team that knows the key.
#include <catch2/catch.hpp>

#include "engines.hpp"
#include "transact.hpp"

using namespace microalign;
using namespace microalign::storage;
using test::at_ms;
using test::insert;
using test::TestDatabase;
using test::transact;

namespace {

Update status(std::int64_t ms, const std::string& ticket, std::optional<TicketState> state,
              const std::string& team = "T1", const std::string& channel = "C1") {
  Update u = test::make_update(ticket + " at " + std::to_string(ms), at_ms(ms));
  u.where.team = team;
  u.where.channel = channel;
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = state;
  u.parsed.tickets = {ticket};
  return u;
}

TrackerActivity activity(std::string delivery, std::int64_t ms, TrackerAction action,
                         std::vector<std::string> tickets = {"ENG-1"}) {
  TrackerActivity a;
  a.tracker = Tracker::github;
  a.delivery_id = std::move(delivery);
  a.action = action;
  a.at = at_ms(ms);
  a.tickets = std::move(tickets);
  a.actor = "octocat";
  a.item = "PR #9";
  a.url = "https://github.com/acme/web/pull/9";
  return a;
}

bool record(Engine& store, const TrackerActivity& a) {
  return transact(store, [&] { return store.record_tracker_activity(a); });
}

std::optional<TicketSnapshot> quiet(Engine& store, const std::string& team, const std::string& key,
                                    std::int64_t quiet_since_ms) {
  for (auto& t : store.quiet_tickets(team, "C1", at_ms(quiet_since_ms))) {
    if (t.key == key) return t;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("tracker activity is stored once per delivery and ticket and read back whole", "[trackers]") {
  TestDatabase db;
  auto store = db.open();
  auto pushed = activity("d-1", 5000, TrackerAction::pushed, {"ENG-1", "acme/web#9"});
  pushed.commits = 3;
  pushed.detail = "In Review";
  CHECK(record(*store, pushed));
  CHECK_FALSE(record(*store, pushed));  // the replay writes nothing
  pushed.tracker = Tracker::jira;       // another tracker's delivery with the same id is its own
  CHECK(record(*store, pushed));
  CHECK(record(*store, activity("d-2", 6000, TrackerAction::merged)));

  const auto eng1 = store->ticket_tracker_activity("ENG-1", 10);
  REQUIRE(eng1.size() == 3);
  CHECK(eng1[0].delivery_id == "d-2");  // newest first
  CHECK(eng1[0].action == TrackerAction::merged);
  const auto& first = eng1[2];
  CHECK(first.tracker == Tracker::github);
  CHECK(first.tickets == std::vector<std::string>{"ENG-1"});
  CHECK(first.action == TrackerAction::pushed);
  CHECK(first.at == at_ms(5000));
  CHECK(first.actor == "octocat");
  CHECK(first.item == "PR #9");
  CHECK(first.url == "https://github.com/acme/web/pull/9");
  CHECK(first.detail == "In Review");
  CHECK(first.commits == 3);
  CHECK(store->ticket_tracker_activity("ENG-1", 1).size() == 1);
  CHECK(store->ticket_tracker_activity("acme/web#9", 10).size() == 2);
  CHECK(store->ticket_tracker_activity("ENG-404", 10).empty());
}

TEST_CASE("tracker activity keeps the ticket from going quiet in every team that names it", "[trackers]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::on_track));
  insert(*store, status(1000, "ENG-1", TicketState::on_track, "T2"));
  insert(*store, status(1000, "ENG-2", TicketState::on_track));
  REQUIRE(quiet(*store, "T1", "ENG-1", 4000));

  CHECK(record(*store, activity("d-1", 5000, TrackerAction::commented)));
  CHECK_FALSE(quiet(*store, "T1", "ENG-1", 4000));
  CHECK_FALSE(quiet(*store, "T2", "ENG-1", 4000));
  CHECK(quiet(*store, "T1", "ENG-2", 4000));  // another ticket is left alone
  const auto since = quiet(*store, "T1", "ENG-1", 5000);
  REQUIRE(since);
  CHECK(since->last_update_at == at_ms(5000));
  CHECK(since->last_update.created_at == at_ms(1000));  // the last update is still the last update

  // Activity older than what is known moves nothing back.
  CHECK(record(*store, activity("d-0", 2000, TrackerAction::commented)));
  CHECK(quiet(*store, "T1", "ENG-1", 5000)->last_update_at == at_ms(5000));
}

TEST_CASE("a ticket closed or merged in its tracker is done, and reopened is open again", "[trackers]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::blocked));
  insert(*store, status(1000, "ENG-2", TicketState::on_track));

  CHECK(record(*store, activity("d-1", 2000, TrackerAction::merged)));
  CHECK(record(*store, activity("d-2", 2000, TrackerAction::closed, {"ENG-2"})));
  CHECK(store->nudge_candidates(at_ms(9000)).empty());
  CHECK(store->troubled_tickets("T1", "C1").empty());
  CHECK(store->open_tickets("T1", "C1").empty());

  CHECK(record(*store, activity("d-3", 3000, TrackerAction::reopened, {"ENG-2"})));
  const auto open = store->open_tickets("T1", "C1");
  REQUIRE(open.size() == 1);
  CHECK(open[0].key == "ENG-2");
  CHECK_FALSE(open[0].state);
  CHECK(open[0].state_since == at_ms(3000));

  SECTION("moved in its tracker to a state that is not done, a done ticket is open again") {
    auto moved = activity("d-6", 4000, TrackerAction::state_changed);
    moved.detail = "In Progress";
    CHECK(record(*store, moved));
    CHECK(store->open_tickets("T1", "C1").size() == 2);
  }
  SECTION("a state stated in chat after the tracker's event stands") {
    insert(*store, status(5000, "ENG-1", TicketState::on_track));
    CHECK(record(*store, activity("d-4", 4000, TrackerAction::closed)));  // delivered late
    const auto candidates = store->nudge_candidates(at_ms(9000));
    REQUIRE(candidates.size() == 2);
    CHECK(candidates[0].ticket.key == "ENG-2");
    CHECK(candidates[1].ticket.state == TicketState::on_track);
  }
  SECTION("a ticket named only in a tracker is stored for its timeline, and no ticket is made") {
    CHECK(record(*store, activity("d-5", 3000, TrackerAction::opened, {"OPS-7"})));
    CHECK(store->ticket_tracker_activity("OPS-7", 5).size() == 1);
    CHECK(test::ask(*store, "SELECT count(*) FROM tickets WHERE key = 'OPS-7'") == "0");
  }
}

TEST_CASE("a digest window reads the activity on the channel's tickets only, oldest first", "[trackers]") {
  TestDatabase db;
  auto store = db.open();
  insert(*store, status(1000, "ENG-1", TicketState::on_track));
  insert(*store, status(1000, "ENG-2", TicketState::on_track, "T1", "C2"));
  insert(*store, status(1000, "ENG-3", TicketState::on_track, "T2"));
  record(*store, activity("d-1", 3000, TrackerAction::pushed, {"ENG-1", "ENG-2", "ENG-3"}));
  record(*store, activity("d-2", 2000, TrackerAction::opened));
  record(*store, activity("d-3", 4000, TrackerAction::merged));
  record(*store, activity("d-4", 1000, TrackerAction::commented));  // at the window's start: outside

  const auto window = store->tracker_activity_in_window("T1", "C1", at_ms(1000), at_ms(3000));
  REQUIRE(window.size() == 2);
  CHECK(window[0].delivery_id == "d-2");
  CHECK(window[1].delivery_id == "d-1");
  CHECK(window[1].tickets == std::vector<std::string>{"ENG-1"});
  CHECK(store->tracker_activity_in_window("T1", "C2", at_ms(0), at_ms(9000)).size() == 1);
  CHECK(store->tracker_activity_in_window("T9", "C1", at_ms(0), at_ms(9000)).empty());
}

TEST_CASE("tracker activity after a nudge starts a new quiet period, which can be nudged again", "[trackers][nudges]") {
  TestDatabase db;
  auto store = db.open();
  const auto id = insert(*store, status(1000, "ENG-1", TicketState::on_track));
  CHECK(transact(*store, [&] { return store->record_nudge("T1", "ENG-1", id, at_ms(6000)); }));
  CHECK_FALSE(transact(*store, [&] { return store->record_nudge("T1", "ENG-1", id, at_ms(6500)); }));

  record(*store, activity("d-1", 7000, TrackerAction::commented));
  CHECK(transact(*store, [&] { return store->record_nudge("T1", "ENG-1", id, at_ms(9000)); }));
  CHECK_FALSE(transact(*store, [&] { return store->record_nudge("T1", "ENG-1", id, at_ms(9500)); }));
  const auto candidates = store->nudge_candidates(at_ms(9000));
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].nudged_at == at_ms(9000));
}
