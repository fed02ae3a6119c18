// What nudges remember (people's settings, channels' holidays, ticket overrides and history) and
// the ticket reads behind them. Tickets come from their summary rows through the open-ticket
// indexes; their latest updates are read afterwards in one batch, by id (update_reader).
#include "microalign/storage/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <utility>

#include "microalign/storage/channels.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "statements.hpp"
#include "store_ops.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

using Date = std::chrono::year_month_day;

// ---- Dates, as 'YYYY-MM-DD' text (storage/sql_values.hpp)

// The schema's CHECKs keep out all but impossible days ('2026-02-30'), short of a hand edit.
Date stored_date(const std::string& text, const char* column) {
  if (const auto day = date_from_sql(text)) return *day;
  throw SQLite::Exception(std::string("not a date in column ") + column);
}

// ---- People

// Sets one of the person's settings, creating their row (nameless, see 004) when there is none.
// `column` is one of this file's literals, never input.
template <typename Bind>
void set_person(SqliteStore& store, std::string_view doing, const std::string& team, const std::string& user,
                const std::string& column, Bind bind_value) {
  guarded(store, doing, [&] {
    SQLite::Statement q(store.sql(), "INSERT INTO people (team, user, name, updated_at, " + column +
                                         ") VALUES (:team, :user, '', 0, :value)"
                                         " ON CONFLICT (team, user) DO UPDATE SET " +
                                         column + " = excluded." + column);
    q.bind(":team", team);
    q.bind(":user", user);
    bind_value(q);
    execute(q);
  });
}

// ---- Tickets

// Writes the ticket's nudge row through `set` (assignments from `excluded`), creating it when
// there is none; nothing when the team has no such ticket. `set` is one of this file's literals.
template <typename Bind>
bool set_ticket(SqliteStore& store, std::string_view doing, const std::string& team, const std::string& key,
                const std::string& columns, const std::string& values, const std::string& set, Bind bind_values) {
  return guarded(store, doing, [&] {
    SQLite::Statement q(store.sql(), "INSERT INTO ticket_nudges (team, key, " + columns + ") SELECT team, key, " +
                                         values +
                                         " FROM tickets WHERE team = :team AND key = :key"
                                         " ON CONFLICT (team, key) DO UPDATE SET " +
                                         set);
    q.bind(":team", team);
    q.bind(":key", key);
    bind_values(q);
    return execute(q) == 1;
  });
}

std::optional<SysTime> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return time_from_sql(column.getInt64());
}

// A candidate's own columns, after the snapshot's (update_reader): where the ticket is, and its
// nudge history. Its channel's rules are read apart (attach_channel_rules).
constexpr const char* candidate_columns = ", t.team, t.channel, n.snoozed_until, n.nudged_for_update_id, n.nudged_at";

void read_candidate(SQLite::Statement& row, NudgeCandidate& c) {
  c.ticket = read_snapshot(row);
  int column = snapshot_column_count;
  c.team = row.getColumn(column++).getString();
  c.channel = row.getColumn(column++).getString();
  c.snoozed_until = optional_time(row.getColumn(column++));
  c.nudged_for_update_id = row.getColumn(column++).getInt64();  // NULL reads as 0
  c.nudged_at = optional_time(row.getColumn(column++));
}

constexpr const char* holidays_query = "SELECT day FROM channel_holidays WHERE team = :team AND channel = :channel";

Holidays read_holidays(SQLite::Statement& q, const std::string& team, const std::string& channel) {
  ResetOnExit reset{q};
  q.bind(":team", team);
  q.bind(":channel", channel);
  Holidays days;
  while (q.executeStep()) days.insert(days.end(), stored_date(q.getColumn(0).getString(), "day"));
  return days;
}

// By team, owner, then oldest update first (the key settles ties). Their positions are sorted,
// then each candidate is moved into place once, in place: a candidate is a large object, and
// std::sort on the candidates themselves took twice as long over 20,000 of them.
void sort_candidates(std::vector<NudgeCandidate>& candidates) {
  std::vector<std::size_t> order(candidates.size());  // order[i]: the candidate that goes at i
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    const NudgeCandidate& a = candidates[i];
    const NudgeCandidate& b = candidates[j];
    return std::tie(a.team, a.ticket.owner, a.ticket.last_update_at, a.ticket.key) <
           std::tie(b.team, b.ticket.owner, b.ticket.last_update_at, b.ticket.key);
  });
  // Each cycle of the permutation: lift its first candidate out, pull the others forward along
  // it, and put the lifted one where the cycle closes. order[i] == i marks a place filled.
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    NudgeCandidate lifted = std::move(candidates[start]);
    std::size_t at = start;
    while (order[at] != start) {
      const std::size_t from = order[at];
      candidates[at] = std::move(candidates[from]);
      order[at] = at;
      at = from;
    }
    candidates[at] = std::move(lifted);
    order[at] = at;
  }
}

// Fills in each candidate's channel threshold and holidays, read once per channel however many
// of its tickets are candidates.
void attach_channel_rules(SQLite::Database& db, std::vector<NudgeCandidate>& candidates) {
  struct Rules {
    int quiet_days = ChannelSettings{}.quiet_days;  // for a channel never configured
    Holidays holidays;
  };
  std::map<std::pair<std::string, std::string>, Rules> channels;
  SQLite::Statement threshold(db,
                              "SELECT quiet_days FROM channel_settings"
                              " WHERE team = :team AND channel = :channel");
  SQLite::Statement holidays(db, holidays_query);
  for (NudgeCandidate& c : candidates) {
    auto [entry, added] = channels.try_emplace({c.team, c.channel});
    Rules& rules = entry->second;
    if (added) {
      ResetOnExit reset{threshold};
      threshold.bind(":team", c.team);
      threshold.bind(":channel", c.channel);
      if (threshold.executeStep()) rules.quiet_days = threshold.getColumn(0).getInt();
      rules.holidays = read_holidays(holidays, c.team, c.channel);
    }
    c.quiet_days = rules.quiet_days;
    c.channel_holidays = rules.holidays;
  }
}

}  // namespace

void SqliteStore::set_time_zone(const std::string& team, const std::string& user, const std::string& zone) {
  require_transaction(*this, "storage::set_time_zone");
  set_person(*this, "set time zone", team, user, "time_zone", [&](SQLite::Statement& q) { q.bind(":value", zone); });
}

void SqliteStore::set_away(const std::string& team, const std::string& user, std::optional<Date> until) {
  require_transaction(*this, "storage::set_away");
  std::optional<std::string> day;
  if (until) day = date_to_sql(*until);
  set_person(*this, "set away", team, user, "away_until",
             [&](SQLite::Statement& q) { bind_optional(q, ":value", day); });
}

void SqliteStore::set_nudges_off(const std::string& team, const std::string& user, bool off) {
  require_transaction(*this, "storage::set_nudges_off");
  set_person(*this, "set nudges off", team, user, "nudges_off",
             [&](SQLite::Statement& q) { q.bind(":value", off ? 1 : 0); });
}

void SqliteStore::record_nudge_dm(const std::string& team, const std::string& user, SysTime at) {
  require_transaction(*this, "storage::record_nudge_dm");
  set_person(*this, "record nudge DM", team, user, "last_nudge_dm_at",
             [&](SQLite::Statement& q) { q.bind(":value", to_sql(at)); });
}

std::map<std::string, OwnerProfile> SqliteStore::owner_profiles(const std::string& team,
                                                                const std::vector<std::string>& users) {
  return guarded(*this, "read owner profiles", [&] {
    // One primary-key lookup per user, through one prepared statement: a plan asks about the few
    // hundred owners of its candidates, not about everyone.
    SQLite::Statement q(sql(),
                        "SELECT time_zone, away_until, nudges_off, last_nudge_dm_at FROM people"
                        " WHERE team = :team AND user = :user");
    q.bind(":team", team);
    std::map<std::string, OwnerProfile> profiles;
    for (const std::string& user : users) {
      auto [entry, added] = profiles.try_emplace(user);
      if (!added) continue;
      OwnerProfile& p = entry->second;
      p.user = user;
      ResetOnExit reset{q};
      q.bind(":user", user);
      if (!q.executeStep()) continue;  // never seen: the defaults
      p.time_zone = q.getColumn(0).getString();
      if (!q.getColumn(1).isNull()) {
        p.away_until = stored_date(q.getColumn(1).getString(), "away_until");
      }
      p.nudges_off = q.getColumn(2).getInt() != 0;
      p.last_dm_at = optional_time(q.getColumn(3));
    }
    return profiles;
  });
}

void SqliteStore::add_holidays(const std::string& team, const std::string& channel, Date from, Date to) {
  require_transaction(*this, "storage::add_holidays");
  date_to_sql(from);  // throws for a date that cannot be stored, before anything is written
  date_to_sql(to);
  if (std::chrono::sys_days{to} < std::chrono::sys_days{from}) {
    throw std::invalid_argument("holidays: the range ends before it starts");
  }
  guarded(*this, "add holidays", [&] {
    SQLite::Statement q(sql(),
                        "INSERT INTO channel_holidays (team, channel, day)"
                        " VALUES (:team, :channel, :day) ON CONFLICT DO NOTHING");
    q.bind(":team", team);
    q.bind(":channel", channel);
    for (auto day = std::chrono::sys_days{from}; day <= std::chrono::sys_days{to}; day += std::chrono::days{1}) {
      q.bind(":day", date_to_sql(Date{day}));
      execute(q);
    }
  });
}

Holidays SqliteStore::channel_holidays(const std::string& team, const std::string& channel) {
  return guarded(*this, "read channel holidays", [&] {
    SQLite::Statement q(sql(), holidays_query);
    return read_holidays(q, team, channel);
  });
}

bool SqliteStore::set_owner(const std::string& team, const std::string& key, const std::string& user) {
  require_transaction(*this, "storage::set_owner");
  if (user.empty()) throw std::invalid_argument("storage::set_owner needs a user");
  return set_ticket(*this, "set owner", team, key, "owner_override", ":user",
                    "owner_override = excluded.owner_override", [&](SQLite::Statement& q) { q.bind(":user", user); });
}

bool SqliteStore::snooze(const std::string& team, const std::string& key, SysTime until) {
  require_transaction(*this, "storage::snooze");
  return set_ticket(*this, "snooze", team, key, "snoozed_until", ":until", "snoozed_until = excluded.snoozed_until",
                    [&](SQLite::Statement& q) { q.bind(":until", to_sql(until)); });
}

bool SqliteStore::record_nudge(const std::string& team, const std::string& key, std::int64_t update_id, SysTime at) {
  require_transaction(*this, "storage::record_nudge");
  // Not again for the same quiet period (the same update, no tracker activity since the nudge): a
  // replica that planned the same nudge at the same moment finds it recorded (and its DM is not
  // queued).
  return set_ticket(*this, "record nudge", team, key, "nudged_for_update_id, nudged_at", ":update_id, :at",
                    "nudged_for_update_id = excluded.nudged_for_update_id,"
                    " nudged_at = excluded.nudged_at"
                    " WHERE ticket_nudges.nudged_for_update_id IS NOT excluded.nudged_for_update_id"
                    " OR ticket_nudges.nudged_at < (SELECT last_update_at FROM tickets"
                    "                               WHERE team = :team AND key = :key)",
                    [&](SQLite::Statement& q) {
                      q.bind(":update_id", update_id);
                      q.bind(":at", to_sql(at));
                    });
}

std::vector<NudgeCandidate> SqliteStore::nudge_candidates(SysTime not_updated_since) {
  return guarded(*this, "read nudge candidates", [&] {
    SQLite::Database& db = sql();
    // The index is named, as digest_facts does; the WHERE repeats the index's own, so that it
    // applies. No ORDER BY: SQLite's sorter copies every whole row, which more than doubled the
    // query's time over 20,000 candidates; sort_candidates moves each candidate once.
    const std::string from = " FROM tickets t INDEXED BY open_tickets_by_last_update";
    const std::string where = " WHERE t.last_update_at <= :since AND t.last_state IS NOT 'done'";
    // Counted first, as select_updates does: growing a vector of candidates moves every one of
    // them and faults in fresh pages each time.
    SQLite::Statement counted(db, "SELECT count(*)" + from + where);
    counted.bind(":since", to_sql(not_updated_since));
    counted.executeStep();
    std::vector<NudgeCandidate> found;
    found.reserve(static_cast<std::size_t>(counted.getColumn(0).getInt64()));

    SQLite::Statement rows(db,
                           std::string("SELECT ") + snapshot_columns + candidate_columns + from + with_nudges + where);
    rows.bind(":since", to_sql(not_updated_since));
    while (rows.executeStep()) read_candidate(rows, found.emplace_back());
    sort_candidates(found);
    attach_last_updates(db, found, [](NudgeCandidate& c) -> TicketSnapshot& { return c.ticket; });
    attach_channel_rules(db, found);
    return found;
  });
}

std::vector<NudgeCandidate> SqliteStore::nudged_quiet_tickets(const std::string& team, const std::string& channel,
                                                              SysTime not_updated_since) {
  return guarded(*this, "read nudged quiet tickets", [&] {
    SQLite::Database& db = sql();
    SQLite::Statement rows(db, std::string("SELECT ") + snapshot_columns + candidate_columns +
                                   " FROM tickets t INDEXED BY open_tickets_by_channel" + with_nudges +
                                   " WHERE t.team = :team AND t.channel = :channel"
                                   " AND t.last_update_at <= :since AND t.last_state IS NOT 'done'"
                                   " AND n.nudged_for_update_id = t.last_update_id"
                                   " ORDER BY t.last_update_at, t.key");
    rows.bind(":team", team);
    rows.bind(":channel", channel);
    rows.bind(":since", to_sql(not_updated_since));
    std::vector<NudgeCandidate> found;
    while (rows.executeStep()) read_candidate(rows, found.emplace_back());
    attach_last_updates(db, found, [](NudgeCandidate& c) -> TicketSnapshot& { return c.ticket; });
    attach_channel_rules(db, found);
    return found;
  });
}

std::vector<TicketSnapshot> SqliteStore::open_tickets(const std::string& team, const std::string& channel) {
  return guarded(*this, "read open tickets", [&] {
    SQLite::Database& db = sql();
    SQLite::Statement rows(db, std::string("SELECT ") + snapshot_columns +
                                   " FROM tickets t INDEXED BY open_tickets_by_channel" + with_nudges +
                                   " WHERE t.team = :team AND t.channel = :channel"
                                   " AND t.last_state IS NOT 'done'"
                                   " ORDER BY t.last_update_at, t.key");
    rows.bind(":team", team);
    rows.bind(":channel", channel);
    std::vector<TicketSnapshot> found;
    while (rows.executeStep()) found.push_back(read_snapshot(rows));
    attach_last_updates(db, found, [](TicketSnapshot& t) -> TicketSnapshot& { return t; });
    return found;
  });
}

std::map<std::string, SysTime> SqliteStore::snoozed_tickets(const std::string& team, const std::string& channel,
                                                            SysTime now) {
  return guarded(*this, "read snoozed tickets", [&] {
    SQLite::Statement rows(sql(),
                           "SELECT t.key, n.snoozed_until FROM tickets t INDEXED BY open_tickets_by_channel"
                           " JOIN ticket_nudges n ON n.team = t.team AND n.key = t.key"
                           " WHERE t.team = :team AND t.channel = :channel AND t.last_state IS NOT 'done'"
                           " AND n.snoozed_until > :now");
    rows.bind(":team", team);
    rows.bind(":channel", channel);
    rows.bind(":now", to_sql(now));
    std::map<std::string, SysTime> found;
    while (rows.executeStep())
      found.emplace(rows.getColumn(0).getString(), time_from_sql(rows.getColumn(1).getInt64()));
    return found;
  });
}

bool SqliteStore::ticket_named_before(const std::string& team, const std::string& key, std::int64_t update_id) {
  return guarded(*this, "check a ticket is known", [&] {
    // Through update_tickets_by_key: a key is named by few updates, of which few in other teams.
    SQLite::Statement q(sql(),
                        "SELECT 1 FROM update_tickets ut JOIN updates u ON u.id = ut.update_id"
                        " WHERE ut.ticket_key = :key AND u.team = :team AND ut.update_id < :before"
                        " LIMIT 1");
    q.bind(":key", key);
    q.bind(":team", team);
    q.bind(":before", update_id);
    return q.executeStep();
  });
}

}  // namespace microalign::storage
