// Nudges on PostgreSQL, as storage/sqlite/nudges.cpp: people's settings, channels' holidays,
// ticket overrides and history, and the ticket reads behind them. Tickets come from their summary
// rows through the open-ticket indexes; their latest updates are read afterwards in one batch, by
// id (update_reader).
#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "error.hpp"
#include "microalign/storage/channels.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

using Date = std::chrono::year_month_day;

// ---- Dates, as 'YYYY-MM-DD' text (storage/sql_values.hpp)

// The schema's CHECKs keep out all but impossible days ('2026-02-30'), short of a hand edit.
Date stored_date(const std::string& text, const char* column) {
  if (const auto day = date_from_sql(text)) return *day;
  throw pg::Error(std::string("not a date in column ") + column, "");
}

// ---- People

// Sets one of the person's settings, creating their row (nameless) when there is none: one
// upsert, so that replicas setting it at once both succeed. `column` is one of this file's
// literals, never input.
void set_person(PostgresStore& store, std::string_view doing, const std::string& team, const std::string& user,
                const std::string& column, const std::optional<std::string>& value) {
  guarded(store, doing, [&] {
    pg::Query(store.connection(), "INSERT INTO people (team, \"user\", name, updated_at, " + column +
                                      ") VALUES (:team, :user, '', 0, :value)"
                                      " ON CONFLICT (team, \"user\") DO UPDATE SET " +
                                      column + " = excluded." + column)
        .bind("team", team)
        .bind("user", user)
        .bind("value", value)
        .run();
  });
}

// ---- Tickets

// Writes the ticket's nudge row through `set` (assignments from `excluded`), creating it when
// there is none; nothing when the team has no such ticket. `values` casts its parameters: in an
// INSERT … SELECT they would otherwise be text. `columns`, `values` and `set` are this file's
// literals, never input.
template <typename Bind>
bool set_ticket(PostgresStore& store, std::string_view doing, const std::string& team, const std::string& key,
                const std::string& columns, const std::string& values, const std::string& set, Bind bind_values) {
  return guarded(store, doing, [&] {
    pg::Query q(store.connection(), "INSERT INTO ticket_nudges (team, key, " + columns + ") SELECT team, key, " +
                                        values +
                                        " FROM tickets WHERE team = :team AND key = :key"
                                        " ON CONFLICT (team, key) DO UPDATE SET " +
                                        set);
    q.bind("team", team).bind("key", key);
    bind_values(q);
    return q.run().affected() == 1;
  });
}

// A candidate's own columns, after the snapshot's (update_reader): where the ticket is, and its
// nudge history. Its channel's rules are read apart (attach_channel_rules).
constexpr const char* candidate_columns = ", t.team, t.channel, n.snoozed_until, n.nudged_for_update_id, n.nudged_at";

NudgeCandidate read_candidate(const pg::Result& rows, int i) {
  NudgeCandidate c;
  c.ticket = pg::read_snapshot(rows, i);
  int column = pg::snapshot_column_count;
  c.team = rows.text(i, column++);
  c.channel = rows.text(i, column++);
  if (const auto until = rows.optional_int64(i, column++)) c.snoozed_until = time_from_sql(*until);
  c.nudged_for_update_id = rows.int64(i, column++);  // NULL reads as 0
  if (const auto at = rows.optional_int64(i, column++)) c.nudged_at = time_from_sql(*at);
  return c;
}

std::vector<NudgeCandidate> read_candidates(const pg::Result& rows) {
  std::vector<NudgeCandidate> found;
  found.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) found.push_back(read_candidate(rows, i));
  return found;
}

Holidays read_holidays(pg::Connection& db, const std::string& team, const std::string& channel) {
  const auto rows = pg::Query(db, "SELECT day FROM channel_holidays WHERE team = :team AND channel = :channel")
                        .bind("team", team)
                        .bind("channel", channel)
                        .run();
  Holidays days;
  for (int i = 0; i < rows.rows(); ++i) days.insert(days.end(), stored_date(rows.text(i, 0), "day"));
  return days;
}

// Fills in each candidate's channel threshold and holidays, read once per channel however many
// of its tickets are candidates.
void attach_channel_rules(pg::Connection& db, std::vector<NudgeCandidate>& candidates) {
  struct Rules {
    int quiet_days = ChannelSettings{}.quiet_days;  // for a channel never configured
    Holidays holidays;
  };
  std::map<std::pair<std::string, std::string>, Rules> channels;
  for (NudgeCandidate& c : candidates) {
    auto [entry, added] = channels.try_emplace({c.team, c.channel});
    Rules& rules = entry->second;
    if (added) {
      const auto threshold =
          pg::Query(db, "SELECT quiet_days FROM channel_settings WHERE team = :team AND channel = :channel")
              .bind("team", c.team)
              .bind("channel", c.channel)
              .run();
      if (threshold.rows() == 1) rules.quiet_days = static_cast<int>(threshold.int64(0, 0));
      rules.holidays = read_holidays(db, c.team, c.channel);
    }
    c.quiet_days = rules.quiet_days;
    c.channel_holidays = rules.holidays;
  }
}

TicketSnapshot& snapshot_of(NudgeCandidate& c) { return c.ticket; }

}  // namespace

void PostgresStore::set_time_zone(const std::string& team, const std::string& user, const std::string& zone) {
  require_transaction(*this, "storage::set_time_zone");
  set_person(*this, "set time zone", team, user, "time_zone", zone);
}

void PostgresStore::set_away(const std::string& team, const std::string& user, std::optional<Date> until) {
  require_transaction(*this, "storage::set_away");
  std::optional<std::string> day;
  if (until) day = date_to_sql(*until);
  set_person(*this, "set away", team, user, "away_until", day);
}

void PostgresStore::set_nudges_off(const std::string& team, const std::string& user, bool off) {
  require_transaction(*this, "storage::set_nudges_off");
  set_person(*this, "set nudges off", team, user, "nudges_off", off ? "1" : "0");
}

void PostgresStore::record_nudge_dm(const std::string& team, const std::string& user, SysTime at) {
  require_transaction(*this, "storage::record_nudge_dm");
  set_person(*this, "record nudge DM", team, user, "last_nudge_dm_at", std::to_string(to_sql(at)));
}

std::map<std::string, OwnerProfile> PostgresStore::owner_profiles(const std::string& team,
                                                                  const std::vector<std::string>& users) {
  return guarded(*this, "read owner profiles", [&] {
    // One primary-key lookup per user, through one prepared statement: a plan asks about the few
    // hundred owners of its candidates, not about everyone.
    std::map<std::string, OwnerProfile> profiles;
    for (const std::string& user : users) {
      auto [entry, added] = profiles.try_emplace(user);
      if (!added) continue;
      OwnerProfile& p = entry->second;
      p.user = user;
      const auto row = pg::Query(*connection_,
                                 "SELECT time_zone, away_until, nudges_off, last_nudge_dm_at FROM people"
                                 " WHERE team = :team AND \"user\" = :user")
                           .bind("team", team)
                           .bind("user", user)
                           .run();
      if (row.rows() == 0) continue;  // never seen: the defaults
      p.time_zone = row.text(0, 0);
      if (!row.is_null(0, 1)) p.away_until = stored_date(row.text(0, 1), "away_until");
      p.nudges_off = row.int64(0, 2) != 0;
      if (const auto at = row.optional_int64(0, 3)) p.last_dm_at = time_from_sql(*at);
    }
    return profiles;
  });
}

void PostgresStore::add_holidays(const std::string& team, const std::string& channel, Date from, Date to) {
  require_transaction(*this, "storage::add_holidays");
  date_to_sql(from);  // throws for a date that cannot be stored, before anything is written
  date_to_sql(to);
  if (std::chrono::sys_days{to} < std::chrono::sys_days{from}) {
    throw std::invalid_argument("holidays: the range ends before it starts");
  }
  // Every day at once, as a text array: days are digits and dashes, nothing to quote.
  std::string days = "{";
  for (auto day = std::chrono::sys_days{from}; day <= std::chrono::sys_days{to}; day += std::chrono::days{1}) {
    days.append(date_to_sql(Date{day})).push_back(',');
  }
  days.back() = '}';
  guarded(*this, "add holidays", [&] {
    pg::Query(*connection_,
              "INSERT INTO channel_holidays (team, channel, day)"
              " SELECT :team, :channel, day FROM unnest(:days::text[]) AS days (day) ON CONFLICT DO NOTHING")
        .bind("team", team)
        .bind("channel", channel)
        .bind("days", days)
        .run();
  });
}

Holidays PostgresStore::channel_holidays(const std::string& team, const std::string& channel) {
  return guarded(*this, "read channel holidays", [&] { return read_holidays(*connection_, team, channel); });
}

bool PostgresStore::set_owner(const std::string& team, const std::string& key, const std::string& user) {
  require_transaction(*this, "storage::set_owner");
  if (user.empty()) throw std::invalid_argument("storage::set_owner needs a user");
  return set_ticket(*this, "set owner", team, key, "owner_override", ":user::text",
                    "owner_override = excluded.owner_override", [&](pg::Query& q) { q.bind("user", user); });
}

bool PostgresStore::snooze(const std::string& team, const std::string& key, SysTime until) {
  require_transaction(*this, "storage::snooze");
  return set_ticket(*this, "snooze", team, key, "snoozed_until", ":until::bigint",
                    "snoozed_until = excluded.snoozed_until", [&](pg::Query& q) { q.bind("until", to_sql(until)); });
}

bool PostgresStore::record_nudge(const std::string& team, const std::string& key, std::int64_t update_id, SysTime at) {
  require_transaction(*this, "storage::record_nudge");
  return guarded(*this, "record nudge", [&] {
    // One statement, which says whether the ticket exists and whether the nudge was written. The
    // update is skipped when the row already holds this very nudge: ON CONFLICT reads the row as
    // last committed (waiting for a transaction still writing it), so a replica that just recorded
    // the same nudge is seen here even though this transaction's candidates did not show it.
    const auto outcome = pg::Query(*connection_,
                                   "WITH ticket AS (SELECT team, key FROM tickets WHERE team = :team AND key = :key),"
                                   " recorded AS ("
                                   "  INSERT INTO ticket_nudges (team, key, nudged_for_update_id, nudged_at)"
                                   "  SELECT team, key, :update_id::bigint, :at::bigint FROM ticket"
                                   "  ON CONFLICT (team, key) DO UPDATE SET"
                                   "   nudged_for_update_id = excluded.nudged_for_update_id,"
                                   "   nudged_at = excluded.nudged_at"
                                   "  WHERE ticket_nudges.nudged_for_update_id"
                                   "        IS DISTINCT FROM excluded.nudged_for_update_id"
                                   "   OR ticket_nudges.nudged_at < (SELECT last_update_at FROM tickets"
                                   "                                 WHERE team = :team AND key = :key)"
                                   "  RETURNING 1)"
                                   " SELECT (SELECT count(*) FROM ticket), (SELECT count(*) FROM recorded)")
                             .bind("team", team)
                             .bind("key", key)
                             .bind("update_id", update_id)
                             .bind("at", to_sql(at))
                             .run();
    // Not the ticket's (false), or nudged about this quiet period already (this update, and no
    // tracker activity since): another replica's tick nudged it since this one read its
    // candidates (false: its DM is not queued).
    return outcome.int64(0, 0) == 1 && outcome.int64(0, 1) == 1;
  });
}

std::vector<NudgeCandidate> PostgresStore::nudge_candidates(SysTime not_updated_since) {
  return guarded(*this, "read nudge candidates", [&] {
    // The WHERE repeats open_tickets_by_last_update's own, so that the index applies. Sorted as
    // the port says, by text bytes (COLLATE "C", as std::string and SQLite compare).
    const auto rows =
        pg::Query(*connection_, std::string("SELECT ") + pg::snapshot_columns + candidate_columns + " FROM tickets t" +
                                    pg::with_nudges +
                                    " WHERE t.last_update_at <= :since AND t.last_state IS DISTINCT FROM 'done'"
                                    " ORDER BY t.team COLLATE \"C\", coalesce(n.owner_override, t.owner) COLLATE \"C\","
                                    " t.last_update_at, t.key COLLATE \"C\"")
            .bind("since", to_sql(not_updated_since))
            .run();
    auto found = read_candidates(rows);
    pg::attach_last_updates(*connection_, found, snapshot_of);
    attach_channel_rules(*connection_, found);
    return found;
  });
}

std::vector<NudgeCandidate> PostgresStore::nudged_quiet_tickets(const std::string& team, const std::string& channel,
                                                                SysTime not_updated_since) {
  return guarded(*this, "read nudged quiet tickets", [&] {
    const auto rows = pg::Query(*connection_, std::string("SELECT ") + pg::snapshot_columns + candidate_columns +
                                                  " FROM tickets t" + pg::with_nudges +
                                                  " WHERE t.team = :team AND t.channel = :channel"
                                                  " AND t.last_update_at <= :since"
                                                  " AND t.last_state IS DISTINCT FROM 'done'"
                                                  " AND n.nudged_for_update_id = t.last_update_id"
                                                  " ORDER BY t.last_update_at, t.key COLLATE \"C\"")
                          .bind("team", team)
                          .bind("channel", channel)
                          .bind("since", to_sql(not_updated_since))
                          .run();
    auto found = read_candidates(rows);
    pg::attach_last_updates(*connection_, found, snapshot_of);
    attach_channel_rules(*connection_, found);
    return found;
  });
}

std::vector<TicketSnapshot> PostgresStore::open_tickets(const std::string& team, const std::string& channel) {
  return guarded(*this, "read open tickets", [&] {
    const auto rows =
        pg::Query(*connection_, std::string("SELECT ") + pg::snapshot_columns + " FROM tickets t" + pg::with_nudges +
                                    " WHERE t.team = :team AND t.channel = :channel"
                                    " AND t.last_state IS DISTINCT FROM 'done'"
                                    " ORDER BY t.last_update_at, t.key COLLATE \"C\"")
            .bind("team", team)
            .bind("channel", channel)
            .run();
    std::vector<TicketSnapshot> found;
    found.reserve(static_cast<std::size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) found.push_back(pg::read_snapshot(rows, i));
    pg::attach_last_updates(*connection_, found, [](TicketSnapshot& t) -> TicketSnapshot& { return t; });
    return found;
  });
}

std::map<std::string, SysTime> PostgresStore::snoozed_tickets(const std::string& team, const std::string& channel,
                                                              SysTime now) {
  return guarded(*this, "read snoozed tickets", [&] {
    const auto rows = pg::Query(*connection_,
                                "SELECT t.key, n.snoozed_until FROM tickets t"
                                " JOIN ticket_nudges n ON n.team = t.team AND n.key = t.key"
                                " WHERE t.team = :team AND t.channel = :channel"
                                " AND t.last_state IS DISTINCT FROM 'done' AND n.snoozed_until > :now")
                          .bind("team", team)
                          .bind("channel", channel)
                          .bind("now", to_sql(now))
                          .run();
    std::map<std::string, SysTime> found;
    for (int i = 0; i < rows.rows(); ++i) found.emplace(rows.text(i, 0), time_from_sql(rows.int64(i, 1)));
    return found;
  });
}

bool PostgresStore::ticket_named_before(const std::string& team, const std::string& key, std::int64_t update_id) {
  return guarded(*this, "check a ticket is known", [&] {
    // Through update_tickets_by_key: a key is named by few updates, of which few in other teams.
    return pg::Query(*connection_,
                     "SELECT 1 FROM update_tickets ut JOIN updates u ON u.id = ut.update_id"
                     " WHERE ut.ticket_key = :key AND u.team = :team AND ut.update_id < :before"
                     " LIMIT 1")
               .bind("key", key)
               .bind("team", team)
               .bind("before", update_id)
               .run()
               .rows() == 1;
  });
}

}  // namespace microalign::storage
