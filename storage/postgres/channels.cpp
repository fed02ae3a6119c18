// Channel settings and digest runs on PostgreSQL, as the SQLite engine keeps them
// (storage/sqlite/channels.cpp).
#include "error.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"
#include "sql_values.hpp"
#include "update_reader.hpp"

namespace microalign::storage {
namespace {

using Cadence = DigestSchedule::Cadence;

constexpr const char* settings_columns =
    "team, channel, cadence, time_of_day, weekday, threaded, time_zone, quiet_days, configured_by,"
    " updated_at";

ChannelSettings read_settings(const pg::Result& rows, int i) {
  ChannelSettings s;
  s.team = rows.text(i, 0);
  s.channel = rows.text(i, 1);
  s.schedule.cadence = pg::enum_from_sql(cadence_from_sql(rows.text(i, 2)), "cadence");
  s.schedule.time_of_day = std::chrono::minutes(rows.int64(i, 3));
  s.schedule.day = std::chrono::weekday(static_cast<unsigned>(rows.int64(i, 4)));
  s.schedule.threaded = rows.int64(i, 5) != 0;
  s.time_zone = rows.text(i, 6);
  s.quiet_days = static_cast<int>(rows.int64(i, 7));
  s.configured_by = rows.text(i, 8);
  s.updated_at = time_from_sql(rows.int64(i, 9));
  return s;
}

constexpr const char* run_columns =
    "team, channel, scheduled_for, window_start, window_end, updates, people, tickets_moved,"
    " blocked, quiet, posted, recorded_at";

DigestRun read_run(const pg::Result& rows, int i) {
  DigestRun r;
  r.team = rows.text(i, 0);
  r.channel = rows.text(i, 1);
  r.scheduled_for = time_from_sql(rows.int64(i, 2));
  r.window_start = time_from_sql(rows.int64(i, 3));
  r.window_end = time_from_sql(rows.int64(i, 4));
  r.counts.updates = static_cast<int>(rows.int64(i, 5));
  r.counts.people = static_cast<int>(rows.int64(i, 6));
  r.counts.tickets_moved = static_cast<int>(rows.int64(i, 7));
  r.counts.blocked = static_cast<int>(rows.int64(i, 8));
  r.counts.quiet = static_cast<int>(rows.int64(i, 9));
  r.posted = rows.int64(i, 10) != 0;
  r.recorded_at = time_from_sql(rows.int64(i, 11));
  return r;
}

// The channel's latest run by scheduled_for, among those matching `condition`.
std::optional<DigestRun> latest_run(pg::Connection& db, const std::string& team, const std::string& channel,
                                    const std::string& condition) {
  const auto rows = pg::Query(db, std::string("SELECT ") + run_columns +
                                      " FROM digest_runs WHERE team = :team AND channel = :channel" + condition +
                                      " ORDER BY scheduled_for DESC LIMIT 1")
                        .bind("team", team)
                        .bind("channel", channel)
                        .run();
  if (rows.rows() == 0) return std::nullopt;
  return read_run(rows, 0);
}

}  // namespace

std::optional<ChannelSettings> PostgresStore::channel_settings(const std::string& team, const std::string& channel) {
  return guarded(*this, "read channel settings", [&]() -> std::optional<ChannelSettings> {
    const auto rows = pg::Query(*connection_, std::string("SELECT ") + settings_columns +
                                                  " FROM channel_settings WHERE team = :team AND channel = :channel")
                          .bind("team", team)
                          .bind("channel", channel)
                          .run();
    if (rows.rows() == 0) return std::nullopt;
    return read_settings(rows, 0);
  });
}

void PostgresStore::save_channel_settings(const ChannelSettings& s) {
  require_transaction(*this, "storage::save_channel_settings");
  guarded(*this, "save channel settings", [&] {
    // One upsert: replicas saving the same channel at once replace the row in turn, and the
    // configurer kept is the first non-empty one committed.
    pg::Query(*connection_, std::string("INSERT INTO channel_settings (") + settings_columns +
                                ") VALUES (:team, :channel, :cadence, :time_of_day, :weekday, :threaded, :time_zone,"
                                " :quiet_days, :configured_by, :updated_at)"
                                " ON CONFLICT (team, channel) DO UPDATE SET"
                                "  cadence = excluded.cadence, time_of_day = excluded.time_of_day,"
                                "  weekday = excluded.weekday, threaded = excluded.threaded,"
                                "  time_zone = excluded.time_zone, quiet_days = excluded.quiet_days,"
                                "  configured_by = CASE WHEN channel_settings.configured_by = ''"
                                "                  THEN excluded.configured_by ELSE channel_settings.configured_by END,"
                                "  updated_at = excluded.updated_at")
        .bind("team", s.team)
        .bind("channel", s.channel)
        .bind("cadence", to_sql(s.schedule.cadence))
        .bind("time_of_day", static_cast<std::int64_t>(s.schedule.time_of_day.count()))
        .bind("weekday", static_cast<std::int64_t>(s.schedule.day.c_encoding()))
        .bind("threaded", s.schedule.threaded)
        .bind("time_zone", s.time_zone)
        .bind("quiet_days", s.quiet_days)
        .bind("configured_by", s.configured_by)
        .bind("updated_at", to_sql(s.updated_at))
        .run();
  });
}

std::vector<ChannelSettings> PostgresStore::scheduled_channels() {
  return guarded(*this, "read scheduled channels", [&] {
    // A full pass over a table with one row per configured channel: small, and read once a tick.
    const auto rows = pg::Query(*connection_, std::string("SELECT ") + settings_columns +
                                                  " FROM channel_settings WHERE cadence <> 'off'"
                                                  " ORDER BY team, channel")
                          .run();
    std::vector<ChannelSettings> found;
    found.reserve(static_cast<std::size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) found.push_back(read_settings(rows, i));
    return found;
  });
}

std::optional<DigestRun> PostgresStore::last_digest_run(const std::string& team, const std::string& channel) {
  return guarded(*this, "read last digest run", [&] { return latest_run(*connection_, team, channel, ""); });
}

std::optional<DigestRun> PostgresStore::last_posted_digest(const std::string& team, const std::string& channel) {
  return guarded(*this, "read last posted digest",
                 [&] { return latest_run(*connection_, team, channel, " AND posted = 1"); });
}

bool PostgresStore::record_digest_run(const DigestRun& r) {
  require_transaction(*this, "storage::record_digest_run");
  return guarded(*this, "record digest run", [&] {
    // The slot's key decides: a replica recording the same slot at the same moment waits for the
    // first one's transaction, then inserts nothing. DO NOTHING only on that key: any other
    // constraint failing is still an error.
    return pg::Query(*connection_, std::string("INSERT INTO digest_runs (") + run_columns +
                                       ") VALUES (:team, :channel, :scheduled_for, :window_start, :window_end,"
                                       " :updates, :people, :tickets_moved, :blocked, :quiet, :posted,"
                                       " :recorded_at)"
                                       " ON CONFLICT (team, channel, scheduled_for) DO NOTHING")
               .bind("team", r.team)
               .bind("channel", r.channel)
               .bind("scheduled_for", to_sql(r.scheduled_for))
               .bind("window_start", to_sql(r.window_start))
               .bind("window_end", to_sql(r.window_end))
               .bind("updates", r.counts.updates)
               .bind("people", r.counts.people)
               .bind("tickets_moved", r.counts.tickets_moved)
               .bind("blocked", r.counts.blocked)
               .bind("quiet", r.counts.quiet)
               .bind("posted", r.posted)
               .bind("recorded_at", to_sql(r.recorded_at))
               .run()
               .affected() == 1;
  });
}

}  // namespace microalign::storage
