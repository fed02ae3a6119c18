// Trackers::record: the trackers' activity stored once, at a time no later than our clock.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

TrackerActivity review(SysTime at) {
  TrackerActivity a;
  a.tracker = Tracker::github;
  a.delivery_id = "d-1";
  a.action = TrackerAction::reviewed;
  a.at = at;
  a.tickets = {"acme/web#9"};
  a.item = "PR #9";
  return a;
}

}  // namespace

TEST_CASE("tracker activity is stored once, and a time ahead of our clock is taken as now", "[trackers]") {
  AppHarness h;
  const auto now = h.clock.now();
  using Recorded = app::Trackers::Recorded;
  CHECK(h.run(h.service().trackers().record(review(now + 48h), 1s)) == Recorded::stored);
  CHECK(h.run(h.service().trackers().record(review(now + 48h), 1s)) == Recorded::replay);
  const auto stored = h.read([](storage::Store& s) { return s.ticket_tracker_activity("acme/web#9", 5); });
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].at == now);

  SECTION("storage that does not take it in time: failed, so the tracker delivers it again") {
    h.storage().fail();
    auto later = review(now);
    later.delivery_id = "d-2";
    CHECK(h.run(h.service().trackers().record(later, 1s)) == Recorded::failed);
  }
}
