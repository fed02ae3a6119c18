// What the Service forgets on its own, at start and daily: seen event ids after a week, finished
// messages and kept DMs after a month; nothing younger, and nothing still to be sent.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

TEST_CASE("old event ids, finished messages and kept DMs are forgotten, and recent and pending ones stay",
          "[housekeeping]") {
  AppHarness h;
  const auto now = h.clock.now();
  const auto old = now - std::chrono::days(31);
  const auto message = [&](SysTime at) {
    storage::OutboxMessage m;
    m.platform = "other";  // not served here: nothing is sent meanwhile
    m.team = "T1";
    m.destination = "C1";
    m.message = Message{"hi", {}};
    m.created_at = at;
    m.not_before = at;
    return m;
  };
  const storage::MessageRef old_dm{"test", "T1", "D-U1", "m1"}, recent_dm{"test", "T1", "D-U1", "m2"};
  struct Ids {
    std::int64_t old_sent, recent_sent, old_pending;
  };
  const auto ids = h.read([&](storage::Store& s) {
    s.mark_event_seen("Ev-old", now - std::chrono::days(8));
    s.mark_event_seen("Ev-recent", now - std::chrono::days(6));
    Ids ids{s.enqueue(message(old)), s.enqueue(message(now)), s.enqueue(message(old))};
    s.mark_sent(ids.old_sent, {"C1", "m1"}, old);
    s.mark_sent(ids.recent_sent, {"C1", "m2"}, now);
    s.keep_interactive(old_dm, Message{"old", {}}, old);
    s.keep_interactive(recent_dm, Message{"recent", {}}, now);
    return ids;
  });

  h.start();
  const auto state = [&](std::int64_t id) { return h.read([&](storage::Store& s) { return s.outbox_state(id); }); };
  REQUIRE(h.run_until([&] { return !state(ids.old_sent); }));
  REQUIRE(h.run_until([&] { return !h.read([&](storage::Store& s) { return s.interactive_message(old_dm); }); }));
  CHECK(state(ids.recent_sent) == storage::OutboxState::sent);
  CHECK(state(ids.old_pending) == storage::OutboxState::pending);
  CHECK(h.read([&](storage::Store& s) { return s.interactive_message(recent_dm); }));
  // An event seen over a week ago would be taken as new; one seen days ago is still known.
  CHECK(h.read([&](storage::Store& s) { return s.mark_event_seen("Ev-old", now); }));
  CHECK_FALSE(h.read([&](storage::Store& s) { return s.mark_event_seen("Ev-recent", now); }));
}
