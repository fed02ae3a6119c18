// Who is nudged about which quiet tickets, and when, with the clock passed in as plain instants.
// Times are written on the owner's wall clock ("Wednesday 10:00 in Berlin") and days are in
// June 2026, which has no DST change: Mon 1, Fri 5, Mon 8, Tue 9, Wed 10, Thu 11, Fri 12, Mon 15.
#define CATCH_CONFIG_ENABLE_OPTIONAL_STRINGMAKER
#include <catch2/catch.hpp>

#include <array>
#include <set>

#include <date/tz.h>

#include "microalign/core/nudge_policy.hpp"

namespace Catch {
template <>
struct StringMaker<microalign::NudgeSkip> {
  static std::string convert(microalign::NudgeSkip skip) {
    return std::string(microalign::to_string(skip));
  }
};
}  // namespace Catch

namespace microalign {
namespace {

using namespace std::chrono_literals;
using std::chrono::hours;
using std::chrono::minutes;

constexpr std::string_view berlin = "Europe/Berlin";             // UTC+2 in June
constexpr std::string_view los_angeles = "America/Los_Angeles";  // UTC−7
constexpr std::string_view tokyo = "Asia/Tokyo";                 // UTC+9
constexpr std::string_view auckland = "Pacific/Auckland";        // UTC+12

// No reason to skip: the ticket is nudged now.
constexpr std::optional<NudgeSkip> nudged;

std::chrono::year_month_day june_date(unsigned day) {
  return std::chrono::year{2026} / std::chrono::June / std::chrono::day{day};
}

// A wall-clock time on a day of June 2026 in `zone`.
SysTime june(unsigned day, hours hour, minutes minute = 0min, std::string_view zone = berlin) {
  const date::local_days date{std::chrono::local_days{june_date(day)}.time_since_epoch()};
  return date::locate_zone(zone)->to_sys(date + hour + minute);
}

SysTime utc(unsigned day, hours hour, minutes minute = 0min) {
  return june(day, hour, minute, "UTC");
}

OwnerProfile owner(std::string user, std::string_view zone = berlin) {
  OwnerProfile profile;
  profile.user = std::move(user);
  profile.time_zone = zone;
  return profile;
}

std::map<std::string, OwnerProfile> profiles(std::initializer_list<OwnerProfile> owners) {
  std::map<std::string, OwnerProfile> by_user;
  for (const auto& profile : owners) by_user.emplace(profile.user, profile);
  return by_user;
}

// A status update about the ticket from `author`, who then owns it (as storage's snapshot has it).
void post_status(NudgeCandidate& c, std::int64_t update_id, std::string author, SysTime at) {
  auto& t = c.ticket;
  t.owner = author;
  t.state = TicketState::on_track;
  t.state_since = at;
  t.last_update_at = at;
  t.last_update.id = update_id;
  t.last_update.created_at = at;
  t.last_update.where = {c.team, c.channel, ""};
  t.last_update.user = std::move(author);
  t.last_update.parsed.kind = UpdateKind::status;
  t.last_update.parsed.state = t.state;
  t.last_update.parsed.tickets = {t.key};
}

// An on-track ticket in channel C1 (quiet after 3 working days), last updated by its owner.
NudgeCandidate ticket(std::string key, std::string owner, SysTime updated,
                      std::int64_t update_id = 1) {
  NudgeCandidate c;
  c.team = "T1";
  c.channel = "C1";
  c.ticket.key = std::move(key);
  post_status(c, update_id, std::move(owner), updated);
  return c;
}

// What storage records once the DM about the ticket is sent.
void record_nudge(NudgeCandidate& c, SysTime at) {
  c.nudged_for_update_id = c.ticket.last_update.id;
  c.nudged_at = at;
}

// One ticket, one owner: why it is not nudged now, or `nudged`.
std::optional<NudgeSkip> outcome(const NudgeCandidate& c, const OwnerProfile& profile,
                                 SysTime now) {
  const auto report = plan_nudges({c}, profiles({profile}), now);
  if (report.skipped.empty()) {
    REQUIRE(report.nudges.size() == 1);
    CHECK(report.nudges.front().owner == c.ticket.owner);
    return nudged;
  }
  REQUIRE(report.nudges.empty());
  return report.skipped.front().second;
}

std::vector<std::string> keys(const NudgePlan& plan) {
  std::vector<std::string> out;
  for (const auto& c : plan.tickets) out.push_back(c.ticket.key);
  return out;
}

std::vector<std::string> owners_of(const NudgeReport& report) {
  std::vector<std::string> out;
  for (const auto& plan : report.nudges) out.push_back(plan.owner);
  return out;
}

// ---- Quiet: working days in the owner's zone ----------------------------------------------------

TEST_CASE("quiet counts working days, so a weekend does not make a Friday update quiet",
          "[nudge]") {
  const auto alice = owner("alice");
  auto c = ticket("ENG-1", "alice", june(5, 10h));  // Friday 10:00

  CHECK(outcome(c, alice, june(8, 16h)) == NudgeSkip::not_quiet);   // Monday: 1 working day
  CHECK(outcome(c, alice, june(9, 10h)) == NudgeSkip::not_quiet);   // Tuesday: 2
  CHECK(outcome(c, alice, june(10, 9h, 59min)) == NudgeSkip::not_quiet);
  CHECK(outcome(c, alice, june(10, 10h)) == nudged);                // Wednesday 10:00: 3

  c.quiet_days = 1;  // the channel's threshold, not a fixed one
  CHECK(outcome(c, alice, june(8, 10h)) == nudged);
}

TEST_CASE("quiet is counted in the owner's working days, wherever they are", "[nudge]") {
  // Sunday 20:00 UTC is still Sunday in Los Angeles but already Monday 08:00 in Auckland.
  const auto updated = utc(7, 20h);
  auto in_la = ticket("ENG-1", "lou", updated);
  auto in_nz = ticket("ENG-2", "kiri", updated);
  in_la.quiet_days = in_nz.quiet_days = 1;

  // Monday 22:00 UTC: 15:00 in Los Angeles, Tuesday 10:00 in Auckland, both working hours.
  const auto now = utc(8, 22h);
  CHECK(outcome(in_la, owner("lou", los_angeles), now) == NudgeSkip::not_quiet);
  CHECK(outcome(in_nz, owner("kiri", auckland), now) == nudged);
}

TEST_CASE("channel holidays are not working days, and nobody is nudged on one", "[nudge]") {
  const auto alice = owner("alice");

  SECTION("a holiday does not count towards quiet") {
    auto c = ticket("ENG-1", "alice", june(5, 10h));  // Friday
    c.channel_holidays = {june_date(8)};              // Monday off
    CHECK(outcome(c, alice, june(10, 10h)) == NudgeSkip::not_quiet);  // Tue, Wed: 2
    CHECK(outcome(c, alice, june(11, 10h)) == nudged);                // Thursday: 3
  }

  SECTION("no nudges on a holiday, even in working hours") {
    auto c = ticket("ENG-1", "alice", june(1, 10h));
    c.channel_holidays = {june_date(10)};
    CHECK(outcome(c, alice, june(10, 10h)) == NudgeSkip::outside_working_hours);
    CHECK(outcome(c, alice, june(11, 10h)) == nudged);
  }
}

// ---- When: the owner's working hours ------------------------------------------------------------

TEST_CASE("nudges go out inside the owner's working hours, start inclusive, end exclusive",
          "[nudge]") {
  auto alice = owner("alice");
  const auto c = ticket("ENG-1", "alice", june(1, 10h));  // long quiet

  CHECK(outcome(c, alice, june(10, 8h, 59min)) == NudgeSkip::outside_working_hours);
  CHECK(outcome(c, alice, june(10, 9h)) == nudged);
  CHECK(outcome(c, alice, june(10, 16h, 59min)) == nudged);
  CHECK(outcome(c, alice, june(10, 17h)) == NudgeSkip::outside_working_hours);
  CHECK(outcome(c, alice, june(13, 10h)) == NudgeSkip::outside_working_hours);  // Saturday

  alice.work_start = 7h + 30min;
  alice.work_end = 15h + 30min;
  CHECK(outcome(c, alice, june(10, 7h, 30min)) == nudged);
  CHECK(outcome(c, alice, june(10, 15h, 30min)) == NudgeSkip::outside_working_hours);
}

TEST_CASE("the same instant is working hours for one owner and night for another", "[nudge]") {
  const auto lou = owner("lou", los_angeles);
  const auto aki = owner("aki", tokyo);
  const auto for_lou = ticket("ENG-1", "lou", utc(1, 12h));
  const auto for_aki = ticket("ENG-2", "aki", utc(1, 12h));

  // Tuesday 00:30 UTC: Monday 17:30 in Los Angeles, Tuesday 09:30 in Tokyo.
  CHECK(outcome(for_lou, lou, utc(9, 0h, 30min)) == NudgeSkip::outside_working_hours);
  CHECK(outcome(for_aki, aki, utc(9, 0h, 30min)) == nudged);
  // Tuesday 16:30 UTC: Tuesday 09:30 in Los Angeles, Wednesday 01:30 in Tokyo.
  CHECK(outcome(for_lou, lou, utc(9, 16h, 30min)) == nudged);
  CHECK(outcome(for_aki, aki, utc(9, 16h, 30min)) == NudgeSkip::outside_working_hours);
}

TEST_CASE("'today' is the owner's date, not UTC's", "[nudge]") {
  // Monday 22:00 UTC: Monday 15:00 in Los Angeles, Tuesday 10:00 in Auckland.
  const auto now = utc(8, 22h);
  auto lou = owner("lou", los_angeles);
  auto kiri = owner("kiri", auckland);
  const auto for_lou = ticket("ENG-1", "lou", utc(1, 12h));
  const auto for_kiri = ticket("ENG-2", "kiri", utc(1, 12h));

  SECTION("one DM a day") {
    // Monday 08:00 UTC: Monday 01:00 in Los Angeles (today), Monday 20:00 in Auckland (yesterday).
    lou.last_dm_at = kiri.last_dm_at = utc(8, 8h);
    CHECK(outcome(for_lou, lou, now) == NudgeSkip::already_messaged_today);
    CHECK(outcome(for_kiri, kiri, now) == nudged);
  }

  SECTION("away until Monday") {
    lou.away_until = kiri.away_until = june_date(8);
    CHECK(outcome(for_lou, lou, now) == NudgeSkip::owner_away);
    CHECK(outcome(for_kiri, kiri, now) == nudged);
  }
}

TEST_CASE("an owner without a known profile or zone is nudged on UTC working hours", "[nudge]") {
  const auto c = ticket("ENG-1", "stranger", june(1, 10h));
  const auto report_at = [&](SysTime now) { return plan_nudges({c}, {}, now); };
  CHECK(report_at(utc(10, 8h, 59min)).nudges.empty());
  CHECK(owners_of(report_at(utc(10, 9h))) == std::vector<std::string>{"stranger"});

  CHECK(outcome(c, owner("stranger", "Mars/Olympus_Mons"), utc(10, 8h, 59min)) ==
        NudgeSkip::outside_working_hours);
  CHECK(outcome(c, owner("stranger", "Mars/Olympus_Mons"), utc(10, 9h)) == nudged);
}

// ---- How often: one nudge per quiet period, one DM per day --------------------------------------

TEST_CASE("one nudge per quiet period, and a new update starts a new one", "[nudge]") {
  const auto alice = owner("alice");
  auto c = ticket("ENG-1", "alice", june(1, 10h), 7);
  CHECK(outcome(c, alice, june(10, 10h)) == nudged);

  record_nudge(c, june(10, 10h));
  CHECK(outcome(c, alice, june(10, 11h)) == NudgeSkip::already_nudged);
  CHECK(outcome(c, alice, june(22, 11h)) == NudgeSkip::already_nudged);  // however long after

  post_status(c, 8, "alice", june(10, 12h));
  CHECK(outcome(c, alice, june(12, 12h)) == NudgeSkip::not_quiet);
  CHECK(outcome(c, alice, june(15, 12h)) == nudged);  // quiet again: a new period
}

TEST_CASE("tracker activity counts as a sign of life: not quiet, and after a nudge a new period", "[nudge]") {
  const auto alice = owner("alice");
  auto c = ticket("ENG-1", "alice", june(1, 10h), 7);
  c.ticket.last_update_at = june(9, 10h);  // a commit pushed: moving, although nobody said so
  CHECK(outcome(c, alice, june(10, 10h)) == NudgeSkip::not_quiet);

  c.ticket.last_update_at = june(1, 10h);
  record_nudge(c, june(10, 10h));
  c.ticket.last_update_at = june(11, 10h);  // the PR was reviewed the day after the nudge
  CHECK(outcome(c, alice, june(12, 10h)) == NudgeSkip::not_quiet);
  CHECK(outcome(c, alice, june(16, 10h)) == nudged);  // silent everywhere again: a new period
  CHECK_FALSE(quiet_after_reminder(c, alice, june(22, 10h)));
}

TEST_CASE("at most one DM a day per person, by the owner's date", "[nudge]") {
  auto alice = owner("alice");
  const std::vector candidates{ticket("ENG-1", "alice", june(1, 10h)),
                               ticket("ENG-2", "alice", june(2, 10h))};
  const auto now = june(10, 10h);  // Wednesday

  alice.last_dm_at = june(10, 9h, 5min);
  auto report = plan_nudges(candidates, profiles({alice}), now);
  CHECK(report.nudges.empty());
  REQUIRE(report.skipped.size() == 2);
  for (const auto& [c, skip] : report.skipped) CHECK(skip == NudgeSkip::already_messaged_today);

  alice.last_dm_at = june(10, 0h, 30min);  // Tuesday 22:30 UTC, but Wednesday for alice
  CHECK(plan_nudges(candidates, profiles({alice}), now).nudges.empty());

  alice.last_dm_at = june(9, 16h);  // yesterday
  report = plan_nudges(candidates, profiles({alice}), now);
  REQUIRE(report.nudges.size() == 1);
  CHECK(keys(report.nudges[0]) == std::vector<std::string>{"ENG-1", "ENG-2"});
}

// ---- Batching and order -------------------------------------------------------------------------

TEST_CASE("an owner's quiet tickets go in one DM, oldest first, and one DM per owner", "[nudge]") {
  SECTION("three quiet tickets of one owner make one plan") {
    const std::vector candidates{
        ticket("ENG-2", "alice", june(3, 10h)), ticket("ENG-1", "alice", june(1, 10h)),
        ticket("ENG-9", "alice", june(9, 10h)),  // not quiet yet
        ticket("ENG-3", "alice", june(3, 10h))};  // as old as ENG-2: by key
    const auto report = plan_nudges(candidates, profiles({owner("alice")}), june(10, 10h));
    REQUIRE(report.nudges.size() == 1);
    CHECK(report.nudges[0].owner == "alice");
    CHECK(keys(report.nudges[0]) == std::vector<std::string>{"ENG-1", "ENG-2", "ENG-3"});
    REQUIRE(report.skipped.size() == 1);
    CHECK(report.skipped[0].first.ticket.key == "ENG-9");
    CHECK(report.skipped[0].second == NudgeSkip::not_quiet);
  }

  SECTION("two owners make two plans, by owner id whatever the input order") {
    // 10:00 in Los Angeles is 19:00 in Berlin, inside alice's (late) working hours too.
    auto late_alice = owner("alice");
    late_alice.work_end = 20h;
    const auto both = profiles({late_alice, owner("bob", los_angeles)});
    const auto now = june(10, 10h, 0min, los_angeles);
    const std::vector candidates{ticket("ENG-5", "bob", june(2, 10h)),
                                 ticket("ENG-4", "alice", june(3, 10h)),
                                 ticket("ENG-6", "bob", june(1, 10h))};
    const auto report = plan_nudges(candidates, both, now);
    CHECK(owners_of(report) == std::vector<std::string>{"alice", "bob"});
    REQUIRE(report.nudges.size() == 2);
    CHECK(keys(report.nudges[1]) == std::vector<std::string>{"ENG-6", "ENG-5"});
    CHECK(report.skipped.empty());
  }
}

// ---- What the ticket and the owner say ----------------------------------------------------------

TEST_CASE("done tickets are never nudged", "[nudge]") {
  auto c = ticket("ENG-1", "alice", june(1, 10h));
  c.ticket.state = TicketState::done;
  CHECK(outcome(c, owner("alice"), june(10, 10h)) == NudgeSkip::done);
}

TEST_CASE("a snoozed ticket waits until the snooze ends", "[nudge]") {
  const auto alice = owner("alice");
  auto c = ticket("ENG-1", "alice", june(1, 10h));
  c.snoozed_until = june(11, 10h);
  CHECK(outcome(c, alice, june(10, 10h)) == NudgeSkip::snoozed);
  CHECK(outcome(c, alice, june(11, 9h, 59min)) == NudgeSkip::snoozed);
  CHECK(outcome(c, alice, june(11, 10h)) == nudged);
}

TEST_CASE("a ticket without an owner has nobody to nudge", "[nudge]") {
  const auto c = ticket("ENG-1", "", june(1, 10h));
  CHECK(outcome(c, owner(""), june(10, 10h)) == NudgeSkip::no_owner);
}

TEST_CASE("an owner away is not nudged through the last day away, and is once back",
          "[nudge]") {
  auto alice = owner("alice");
  alice.away_until = june_date(12);  // Friday, inclusive
  const auto c = ticket("ENG-1", "alice", june(1, 10h));
  CHECK(outcome(c, alice, june(10, 10h)) == NudgeSkip::owner_away);
  CHECK(outcome(c, alice, june(12, 16h, 59min)) == NudgeSkip::owner_away);
  CHECK(outcome(c, alice, june(15, 9h)) == nudged);  // back on Monday
}

TEST_CASE("an owner who turned nudges off gets none", "[nudge]") {
  auto alice = owner("alice");
  alice.nudges_off = true;
  CHECK(outcome(ticket("ENG-1", "alice", june(1, 10h)), alice, june(10, 10h)) ==
        NudgeSkip::nudges_off);
}

TEST_CASE("a new owner is nudged in their own zone, whatever the old owner was sent",
          "[nudge]") {
  auto alice = owner("alice");
  const auto bob = owner("bob", los_angeles);
  auto c = ticket("ENG-1", "alice", june(1, 10h), 1);
  record_nudge(c, june(10, 10h));
  post_status(c, 2, "bob", june(11, 9h));  // Thursday: bob posts a status, so bob owns it
  alice.last_dm_at = june(16, 9h);         // alice's DM today does not stand for bob's
  const auto everyone = profiles({alice, bob});

  // Tuesday 10:00 in Berlin is 01:00 in Los Angeles: bob's night, though alice's working hours.
  auto report = plan_nudges({c}, everyone, june(16, 10h));
  REQUIRE(report.skipped.size() == 1);
  CHECK(report.skipped[0].second == NudgeSkip::outside_working_hours);

  report = plan_nudges({c}, everyone, june(16, 9h, 0min, los_angeles));
  CHECK(owners_of(report) == std::vector<std::string>{"bob"});
}

TEST_CASE("when several reasons apply, the one that will still hold later is given",
          "[nudge]") {
  // Start with every reason at once, then take them away in order of precedence.
  auto alice = owner("alice");
  alice.away_until = june_date(30);
  alice.nudges_off = true;
  alice.last_dm_at = june(10, 9h, 5min);
  auto c = ticket("ENG-1", "alice", june(10, 8h));
  c.ticket.state = TicketState::done;
  c.snoozed_until = june(30, 10h);
  record_nudge(c, june(10, 8h, 30min));
  auto now = june(10, 18h);

  CHECK(outcome(c, alice, now) == NudgeSkip::done);
  c.ticket.state = TicketState::blocked;
  CHECK(outcome(c, alice, now) == NudgeSkip::not_quiet);
  c.ticket.last_update_at = june(1, 10h);
  CHECK(outcome(c, alice, now) == NudgeSkip::snoozed);
  c.snoozed_until.reset();
  c.ticket.owner.clear();
  CHECK(outcome(c, alice, now) == NudgeSkip::no_owner);
  c.ticket.owner = "alice";
  CHECK(outcome(c, alice, now) == NudgeSkip::owner_away);
  alice.away_until.reset();
  CHECK(outcome(c, alice, now) == NudgeSkip::nudges_off);
  alice.nudges_off = false;
  CHECK(outcome(c, alice, now) == NudgeSkip::already_nudged);
  c.nudged_for_update_id = 0;
  CHECK(outcome(c, alice, now) == NudgeSkip::outside_working_hours);
  now = june(10, 10h);
  CHECK(outcome(c, alice, now) == NudgeSkip::already_messaged_today);
  alice.last_dm_at.reset();
  CHECK(outcome(c, alice, now) == nudged);
}

TEST_CASE("each skip reason reads as a fixed phrase", "[nudge]") {
  CHECK(to_string(NudgeSkip::not_quiet) == "not quiet yet");
  CHECK(to_string(NudgeSkip::owner_away) == "owner away");
  CHECK(to_string(NudgeSkip::outside_working_hours) == "outside the owner's working hours");
  std::set<std::string_view> phrases;
  for (auto skip : {NudgeSkip::done, NudgeSkip::not_quiet, NudgeSkip::snoozed, NudgeSkip::no_owner,
                    NudgeSkip::owner_away, NudgeSkip::nudges_off, NudgeSkip::already_nudged,
                    NudgeSkip::outside_working_hours, NudgeSkip::already_messaged_today}) {
    CHECK_FALSE(to_string(skip).empty());
    phrases.insert(to_string(skip));
  }
  CHECK(phrases.size() == 9);
}

// ---- Quiet after a reminder ---------------------------------------------------------------------

TEST_CASE("quiet after a reminder: a full quiet period since the nudge, no update", "[nudge]") {
  const auto alice = owner("alice");
  auto c = ticket("ENG-1", "alice", june(5, 10h));  // Friday
  CHECK_FALSE(quiet_after_reminder(c, alice, june(22, 10h)));  // never nudged

  record_nudge(c, june(10, 10h));  // Wednesday
  CHECK_FALSE(quiet_after_reminder(c, alice, june(15, 9h, 59min)));
  CHECK(quiet_after_reminder(c, alice, june(15, 10h)));  // Thu, Fri, Mon

  SECTION("holidays do not count") {
    c.channel_holidays = {june_date(12)};
    CHECK_FALSE(quiet_after_reminder(c, alice, june(15, 10h)));
    CHECK(quiet_after_reminder(c, alice, june(16, 10h)));
  }

  SECTION("an update since the nudge answers it") {
    post_status(c, 2, "alice", june(11, 10h));
    CHECK_FALSE(quiet_after_reminder(c, alice, june(22, 10h)));
  }
}

// ---- Scale --------------------------------------------------------------------------------------

TEST_CASE("planning 100,000 candidates is quick", "[nudge][scale]") {
  constexpr int count = 100'000;
  constexpr std::array zones{berlin, los_angeles, tokyo, auckland};
  std::map<std::string, OwnerProfile> owners;
  std::vector<NudgeCandidate> candidates;
  candidates.reserve(count);
  for (int i = 0; i < count; ++i) {
    const auto user = "U" + std::to_string(i % 1000);
    owners.try_emplace(user, owner(user, zones[i % zones.size()]));
    const auto updated = utc(static_cast<unsigned>(1 + i % 10), hours{i % 24});
    candidates.push_back(ticket("ENG-" + std::to_string(i), user, updated, i));
  }

  const auto report = plan_nudges(candidates, owners, utc(10, 12h));
  std::size_t planned = 0;
  for (const auto& plan : report.nudges) planned += plan.tickets.size();
  CHECK(planned + report.skipped.size() == count);
  CHECK(planned > 0);
  CHECK_FALSE(report.skipped.empty());
}

}  // namespace
}  // namespace microalign
