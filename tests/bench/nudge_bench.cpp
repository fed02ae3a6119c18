// The cost of finding the tickets to nudge about among many: 1,000,000 tickets over 3 workspaces,
// 300 channels and 3,000 owners, most of them done over two years, some open and recently
// updated, ~2% open and quiet. Times nudge_candidates, then owner_profiles and plan_nudges over
// its candidates, and one channel's open_tickets, as the median of several runs.
//   [TMPDIR=dir] bench_nudge_bench [tickets=1000000] [quiet_percent=2] [runs=10] [random_ids=0]
//
// The history is written straight into the tables with prepared statements, one update per
// ticket (its last), in one transaction: insert_update would store the same rows, only slower.
// Nudge settings go through the storage functions.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "../storage/fixtures.hpp"
#include "microalign/core/nudge_policy.hpp"
#include "microalign/storage/channels.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "bench_support.hpp"

using namespace microalign;
using namespace microalign::storage;
using namespace std::chrono_literals;
using namespace microalign::bench;

namespace {

constexpr int teams = 3;
constexpr int channels_per_team = 100;
constexpr int owners_per_team = 1000;

// A Wednesday, 10:00 UTC: working hours for most owners.
const SysTime now = SysTime{std::chrono::sys_days{std::chrono::year{2026} / 3 / 11} + 10h};
// The shortest quiet threshold any channel uses below is 2 days; no ticket updated since can be
// quiet anywhere.
const SysTime cutoff = now - std::chrono::days{2};

std::int64_t ms_since_epoch(SysTime t) { return t.time_since_epoch().count(); }

struct Loaded {
  int quiet = 0;   // open and last updated at or before the cut-off
  int open = 0;    // all open tickets
};

struct Ticket {
  std::string team, channel, owner;
  const char* state;  // nullptr: never stated
  SysTime at;         // its last update
};

// Tickets, each with its last update: a `quiet_share` open and last updated in the 60 days before
// the cut-off, 13% open and updated since, the rest done at any time in the last two years.
std::vector<Ticket> make_tickets(int tickets, double quiet_share, Loaded& loaded) {
  std::mt19937_64 random(42);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<>(lo, hi)(random); };
  auto between = [&](SysTime from, SysTime to) {
    return from + std::chrono::milliseconds(static_cast<std::int64_t>(uniform(0, 1) * static_cast<double>((to - from).count())));
  };
  const double open_share = 0.13;
  const char* open_states[] = {"on_track", "on_track", "on_track", "at_risk", "delayed", "blocked", nullptr};
  std::vector<Ticket> made;
  made.reserve(static_cast<std::size_t>(tickets));
  for (int n = 0; n < tickets; ++n) {
    Ticket t{numbered("T", n % teams), numbered("C", n % (teams * channels_per_team)),
             numbered("U", static_cast<long long>(random() % (teams * owners_per_team))), "done", {}};
    const double roll = uniform(0, 1);
    if (roll < quiet_share) {
      t.at = between(cutoff - std::chrono::days{60}, cutoff);
      t.state = open_states[random() % 7];
      ++loaded.quiet;
      ++loaded.open;
    } else if (roll < quiet_share + open_share) {
      t.at = between(cutoff + 1ms, now);
      t.state = open_states[random() % 7];
      ++loaded.open;
    } else {
      t.at = between(now - std::chrono::days{730}, now);
    }
    made.push_back(std::move(t));
  }
  return made;
}

void bind_state(SQLite::Statement& s, int index, const char* state) {
  if (state) {
    s.bind(index, state);
  } else {
    s.bind(index);
  }
}

// Stores the tickets and their last updates. Updates get their ids in time order, as the bot
// stores them, unless `random_ids`: then the quiet tickets' updates lie anywhere in the table
// rather than together near its end (the worst case for reading them).
Loaded load(SqliteStore& store, int tickets, double quiet_share, bool random_ids) {
  Loaded loaded;
  const std::vector<Ticket> made = make_tickets(tickets, quiet_share, loaded);
  std::vector<std::size_t> by_id(made.size());  // by_id[id - 1]: the ticket of update `id`
  for (std::size_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
  if (!random_ids) {
    std::stable_sort(by_id.begin(), by_id.end(),
                     [&](std::size_t a, std::size_t b) { return made[a].at < made[b].at; });
  }
  std::vector<std::int64_t> id_of(made.size());
  for (std::size_t i = 0; i < by_id.size(); ++i) id_of[by_id[i]] = static_cast<std::int64_t>(i + 1);
  const auto key_of = [](std::size_t ticket) { return numbered("ENG-", static_cast<long long>(ticket + 1)); };

  auto& db = store.sql();
  SQLite::Statement update(db,
                           "INSERT INTO updates (id, created_at, team, channel, thread, user, source,"
                           " kind, state, delay_days, blocked_on, text, echo_ref, source_ref)"
                           " VALUES (?, ?, ?, ?, '', ?, 'slash', 'status', ?, NULL, '', ?, ?, '')");
  SQLite::Statement named(db, "INSERT INTO update_tickets (update_id, position, ticket_key) VALUES (?, 0, ?)");
  SQLite::Statement link(db, "INSERT INTO update_links (update_id, position, url) VALUES (?, 0, ?)");
  SQLite::Statement ticket(db,
                           "INSERT INTO tickets (team, key, channel, owner, last_update_id, last_state,"
                           " last_update_at, first_seen_at, state_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  store.begin();
  for (std::size_t i = 0; i < by_id.size(); ++i) {
    const Ticket& t = made[by_id[i]];
    const auto id = static_cast<std::int64_t>(i + 1);
    const std::string key = key_of(by_id[i]);
    update.bind(1, id);
    update.bind(2, ms_since_epoch(t.at));
    update.bind(3, t.team);
    update.bind(4, t.channel);
    update.bind(5, t.owner);
    bind_state(update, 6, t.state);
    update.bind(7, key + " is moving, with enough words to look like what people write in a channel");
    update.bind(8, numbered("1773000000.", 100000 + id));
    update.exec();
    update.reset();
    named.bind(1, id);
    named.bind(2, key);
    named.exec();
    named.reset();
    if (id % 5 == 0) {
      link.bind(1, id);
      link.bind(2, numbered("https://tracker.example/browse/", id));
      link.exec();
      link.reset();
    }
  }
  for (std::size_t n = 0; n < made.size(); ++n) {
    const Ticket& t = made[n];
    ticket.bind(1, t.team);
    ticket.bind(2, key_of(n));
    ticket.bind(3, t.channel);
    ticket.bind(4, t.owner);
    ticket.bind(5, id_of[n]);
    bind_state(ticket, 6, t.state);
    ticket.bind(7, ms_since_epoch(t.at));
    ticket.bind(8, ms_since_epoch(t.at - std::chrono::days{3}));
    ticket.bind(9, ms_since_epoch(t.at - std::chrono::days{1}));
    ticket.exec();
    ticket.reset();
  }

  // Half the channels configured (quiet after 2 to 5 working days), a fifth with a week of
  // holidays; half the owners with a time zone, a few away or with nudges off; among the quiet
  // tickets some snoozed, some nudged already, a few given an owner by hand.
  for (int c = 0; c < teams * channels_per_team; ++c) {
    const std::string team = numbered("T", c % teams);
    const std::string channel = numbered("C", c);
    if (c % 2 == 0) {
      ChannelSettings s;
      s.team = team;
      s.channel = channel;
      s.quiet_days = 2 + c % 4;
      store.save_channel_settings(s);
    }
    if (c % 5 == 0) {
      store.add_holidays(team, channel, std::chrono::year{2026} / 2 / 16, std::chrono::year{2026} / 2 / 20);
    }
  }
  const char* zones[] = {"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"};
  for (int t = 0; t < teams; ++t) {
    for (int u = 0; u < teams * owners_per_team; u += 2) {
      const std::string team = numbered("T", t);
      const std::string user = numbered("U", u);
      store.set_time_zone(team, user, zones[u % 4]);
      if (u % 50 == 0) store.set_away(team, user, std::chrono::year{2026} / 3 / 20);
      if (u % 70 == 0) store.set_nudges_off(team, user, true);
      if (u % 6 == 0) store.record_nudge_dm(team, user, now - std::chrono::days{u % 3});
    }
  }
  SQLite::Statement quiet(db, "SELECT team, key, last_update_id FROM tickets"
                              " WHERE last_update_at <= ? AND last_state IS NOT 'done'");
  quiet.bind(1, ms_since_epoch(cutoff));
  int q = 0;
  while (quiet.executeStep()) {
    const std::string team = quiet.getColumn(0).getString();
    const std::string key = quiet.getColumn(1).getString();
    if (q % 10 == 0) store.snooze(team, key, now + std::chrono::days{q % 3 == 0 ? 1 : -1});
    if (q % 7 == 0) store.record_nudge(team, key, quiet.getColumn(2).getInt64(), now - 26h);
    if (q % 100 == 0) store.set_owner(team, key, "U1");
    ++q;
  }
  store.commit();
  return loaded;
}

// Profiles of every candidate's owner, per workspace (owner_profiles is per team).
std::map<std::string, std::map<std::string, OwnerProfile>> profiles_of(
    Store& store, const std::vector<NudgeCandidate>& candidates) {
  std::map<std::string, std::vector<std::string>> owners;
  for (const auto& c : candidates) owners[c.team].push_back(c.ticket.owner);
  std::map<std::string, std::map<std::string, OwnerProfile>> profiles;
  for (auto& [team, users] : owners) profiles[team] = store.owner_profiles(team, users);
  return profiles;
}

// The policy runs per workspace: owner ids are only unique within one.
std::size_t plan(const std::vector<NudgeCandidate>& candidates,
                 const std::map<std::string, std::map<std::string, OwnerProfile>>& profiles) {
  std::map<std::string, std::vector<NudgeCandidate>> by_team;
  for (const auto& c : candidates) by_team[c.team].push_back(c);
  std::size_t dms = 0;
  for (auto& [team, batch] : by_team) {
    dms += plan_nudges(std::move(batch), profiles.at(team), now).nudges.size();
  }
  return dms;
}

}  // namespace

int main(int argc, char** argv) {
  const int tickets = arg(argc, argv, 1, 1'000'000);
  const int quiet_percent = arg(argc, argv, 2, 2);
  const int runs = arg(argc, argv, 3, 10);
  const bool random_ids = arg(argc, argv, 4, 0) != 0;
  test::TempDir dir;
  const std::string path = dir.file("nudge-bench.db");

  auto store = SqliteStore::open(path);
  const auto load_start = Clock::now();
  const Loaded loaded = load(*store, tickets, quiet_percent / 100.0, random_ids);
  const double load_ms = ms(Clock::now() - load_start);

  const auto sample = store->nudge_candidates(cutoff);
  const auto profiles = profiles_of(*store, sample);
  std::size_t owners = 0;
  for (const auto& [team, of_team] : profiles) owners += of_team.size();

  std::printf("nudge_bench: %d tickets (%d open, %d quiet since the cut-off) in %d workspaces, "
              "%d channels, %d owners; update ids %s\n",
              tickets, loaded.open, loaded.quiet, teams, teams * channels_per_team,
              teams * owners_per_team, random_ids ? "shuffled" : "in time order");
  std::printf("  database    %.1f MB, loaded in %.1f s; db in %s\n",
              static_cast<double>(std::filesystem::file_size(path) +
                                  std::filesystem::file_size(path + "-wal")) / 1e6,
              load_ms / 1000, path.c_str());
  // How the candidates' tickets are found (the test checks the statements nudge_candidates runs).
  SQLite::Statement explain(store->sql(),
                            "EXPLAIN QUERY PLAN SELECT t.key FROM tickets t INDEXED BY"
                            " open_tickets_by_last_update WHERE t.last_update_at <= 0"
                            " AND t.last_state IS NOT 'done'");
  while (explain.executeStep()) std::printf("  plan        %s\n", explain.getColumn(3).getText());
  std::printf("  candidates  %zu, of %zu owners; %zu DMs planned now\n", sample.size(), owners,
              plan(sample, profiles));
  std::printf("  median of %d runs:\n", runs);

  const double candidates = median_ms(runs, [&] { store->nudge_candidates(cutoff); });
  const double profiling = median_ms(runs, [&] { profiles_of(*store, sample); });
  const double policy = median_ms(runs, [&] { plan(sample, profiles); });
  const double channel = median_ms(runs, [&] { store->open_tickets("T0", "C0"); });
  const double all = median_ms(runs, [&] {
    const auto found = store->nudge_candidates(cutoff);
    plan(found, profiles_of(*store, found));
  });
  std::printf("    nudge_candidates    %7.2f ms (target < 100 ms)\n", candidates);
  std::printf("    owner_profiles      %7.2f ms\n", profiling);
  std::printf("    plan_nudges         %7.2f ms (with copying the candidates per workspace)\n", policy);
  std::printf("    all three           %7.2f ms\n", all);
  std::printf("    open_tickets        %7.2f ms (one channel: %zu open of ~%d tickets)\n", channel,
              store->open_tickets("T0", "C0").size(), tickets / (teams * channels_per_team));
}
