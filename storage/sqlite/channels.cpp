// Channel settings and digest runs.
#include "microalign/storage/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "sql_time.hpp"
#include "sql_values.hpp"
#include "statements.hpp"
#include "store_ops.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

using Cadence = DigestSchedule::Cadence;

constexpr const char* settings_columns =
    "team, channel, cadence, time_of_day, weekday, threaded, time_zone, quiet_days, configured_by,"
    " updated_at";

ChannelSettings read_settings(SQLite::Statement& row) {
  ChannelSettings s;
  s.team = row.getColumn(0).getString();
  s.channel = row.getColumn(1).getString();
  s.schedule.cadence = enum_from_sql(cadence_from_sql(row.getColumn(2).getText()), "cadence");
  s.schedule.time_of_day = std::chrono::minutes(row.getColumn(3).getInt());
  s.schedule.day = std::chrono::weekday(static_cast<unsigned>(row.getColumn(4).getInt()));
  s.schedule.threaded = row.getColumn(5).getInt() != 0;
  s.time_zone = row.getColumn(6).getString();
  s.quiet_days = row.getColumn(7).getInt();
  s.configured_by = row.getColumn(8).getString();
  s.updated_at = time_from_sql(row.getColumn(9).getInt64());
  return s;
}

constexpr const char* run_columns =
    "team, channel, scheduled_for, window_start, window_end, updates, people, tickets_moved,"
    " blocked, quiet, posted, recorded_at";

DigestRun read_run(SQLite::Statement& row) {
  DigestRun r;
  r.team = row.getColumn(0).getString();
  r.channel = row.getColumn(1).getString();
  r.scheduled_for = time_from_sql(row.getColumn(2).getInt64());
  r.window_start = time_from_sql(row.getColumn(3).getInt64());
  r.window_end = time_from_sql(row.getColumn(4).getInt64());
  r.counts.updates = row.getColumn(5).getInt();
  r.counts.people = row.getColumn(6).getInt();
  r.counts.tickets_moved = row.getColumn(7).getInt();
  r.counts.blocked = row.getColumn(8).getInt();
  r.counts.quiet = row.getColumn(9).getInt();
  r.posted = row.getColumn(10).getInt() != 0;
  r.recorded_at = time_from_sql(row.getColumn(11).getInt64());
  return r;
}

// The channel's latest run by scheduled_for, among those matching `condition`.
std::optional<DigestRun> latest_run(SqliteStore& store, const std::string& team, const std::string& channel,
                                    const std::string& condition) {
  SQLite::Statement q(store.sql(), std::string("SELECT ") + run_columns +
                                       " FROM digest_runs WHERE team = :team AND channel = :channel" + condition +
                                       " ORDER BY scheduled_for DESC LIMIT 1");
  q.bind(":team", team);
  q.bind(":channel", channel);
  if (!q.executeStep()) return std::nullopt;
  return read_run(q);
}

}  // namespace

std::optional<ChannelSettings> SqliteStore::channel_settings(const std::string& team, const std::string& channel) {
  return guarded(*this, "read channel settings", [&]() -> std::optional<ChannelSettings> {
    SQLite::Statement q(sql(), std::string("SELECT ") + settings_columns +
                                   " FROM channel_settings"
                                   " WHERE team = :team AND channel = :channel");
    q.bind(":team", team);
    q.bind(":channel", channel);
    if (!q.executeStep()) return std::nullopt;
    return read_settings(q);
  });
}

void SqliteStore::save_channel_settings(const ChannelSettings& s) {
  require_transaction(*this, "storage::save_channel_settings");
  guarded(*this, "save channel settings", [&] {
    SQLite::Statement q(sql(),
                        std::string("INSERT INTO channel_settings (") + settings_columns +
                            ") VALUES (:team, :channel, :cadence, :time_of_day, :weekday, :threaded, :time_zone,"
                            " :quiet_days, :configured_by, :updated_at)"
                            " ON CONFLICT (team, channel) DO UPDATE SET"
                            "  cadence = excluded.cadence, time_of_day = excluded.time_of_day,"
                            "  weekday = excluded.weekday, threaded = excluded.threaded,"
                            "  time_zone = excluded.time_zone, quiet_days = excluded.quiet_days,"
                            "  configured_by = CASE WHEN channel_settings.configured_by = ''"
                            "                  THEN excluded.configured_by ELSE channel_settings.configured_by END,"
                            "  updated_at = excluded.updated_at");
    q.bind(":team", s.team);
    q.bind(":channel", s.channel);
    q.bind(":cadence", std::string(to_sql(s.schedule.cadence)));
    q.bind(":time_of_day", static_cast<std::int64_t>(s.schedule.time_of_day.count()));
    q.bind(":weekday", s.schedule.day.c_encoding());
    q.bind(":threaded", s.schedule.threaded ? 1 : 0);
    q.bind(":time_zone", s.time_zone);
    q.bind(":quiet_days", s.quiet_days);
    q.bind(":configured_by", s.configured_by);
    q.bind(":updated_at", to_sql(s.updated_at));
    execute(q);
  });
}

std::vector<ChannelSettings> SqliteStore::scheduled_channels() {
  return guarded(*this, "read scheduled channels", [&] {
    // A full pass over a table with one row per configured channel: small, and read once a tick.
    SQLite::Statement q(sql(), std::string("SELECT ") + settings_columns +
                                   " FROM channel_settings WHERE cadence <> 'off'"
                                   " ORDER BY team, channel");
    std::vector<ChannelSettings> found;
    while (q.executeStep()) found.push_back(read_settings(q));
    return found;
  });
}

std::optional<DigestRun> SqliteStore::last_digest_run(const std::string& team, const std::string& channel) {
  return guarded(*this, "read last digest run", [&] { return latest_run(*this, team, channel, ""); });
}

std::optional<DigestRun> SqliteStore::last_posted_digest(const std::string& team, const std::string& channel) {
  return guarded(*this, "read last posted digest", [&] { return latest_run(*this, team, channel, " AND posted = 1"); });
}

bool SqliteStore::record_digest_run(const DigestRun& r) {
  require_transaction(*this, "storage::record_digest_run");
  return guarded(*this, "record digest run", [&] {
    // DO NOTHING only on the slot's key: any other constraint failing is still an error.
    SQLite::Statement q(sql(), std::string("INSERT INTO digest_runs (") + run_columns +
                                   ") VALUES (:team, :channel, :scheduled_for, :window_start, :window_end,"
                                   " :updates, :people, :tickets_moved, :blocked, :quiet, :posted,"
                                   " :recorded_at)"
                                   " ON CONFLICT (team, channel, scheduled_for) DO NOTHING");
    q.bind(":team", r.team);
    q.bind(":channel", r.channel);
    q.bind(":scheduled_for", to_sql(r.scheduled_for));
    q.bind(":window_start", to_sql(r.window_start));
    q.bind(":window_end", to_sql(r.window_end));
    q.bind(":updates", r.counts.updates);
    q.bind(":people", r.counts.people);
    q.bind(":tickets_moved", r.counts.tickets_moved);
    q.bind(":blocked", r.counts.blocked);
    q.bind(":quiet", r.counts.quiet);
    q.bind(":posted", r.posted ? 1 : 0);
    q.bind(":recorded_at", to_sql(r.recorded_at));
    return execute(q) == 1;
  });
}

}  // namespace microalign::storage
