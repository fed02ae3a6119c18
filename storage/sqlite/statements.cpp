#include "statements.hpp"

namespace microalign::storage {

SqliteStore::Statements::Statements(SQLite::Database& db)
    : begin(db, "BEGIN IMMEDIATE"),
      commit(db, "COMMIT"),
      rollback(db, "ROLLBACK"),
      savepoint(db, "SAVEPOINT item"),
      release_savepoint(db, "RELEASE item"),
      rollback_to_savepoint(db, "ROLLBACK TO item"),
      find_event(db, "SELECT update_id FROM seen_events WHERE event_id = :event_id"),
      insert_event(db,
                   "INSERT INTO seen_events (event_id, seen_at, update_id)"
                   " VALUES (:event_id, :seen_at, :update_id) ON CONFLICT DO NOTHING"),
      insert_update(db,
                    "INSERT INTO updates (created_at, team, channel, thread, user, source, kind,"
                    " state, delay_days, blocked_on, text, echo_ref, source_ref)"
                    " VALUES (:created_at, :team, :channel, :thread, :user, :source, :kind,"
                    " :state, :delay_days, :blocked_on, :text, :echo_ref, :source_ref)"),
      insert_ticket(db,
                    "INSERT INTO update_tickets (update_id, position, ticket_key)"
                    " VALUES (:update_id, :position, :value)"),
      insert_link(db,
                  "INSERT INTO update_links (update_id, position, url)"
                  " VALUES (:update_id, :position, :value)"),
      // The summary follows the latest update; the state only moves when the update names one,
      // and ownership only passes with a status update ("I'm on it"), not with a question.
      // state_since moves only when a different state is named: a run of one state is not
      // broken by updates that name none. (SET reads the row as it was before the update.)
      upsert_ticket(db,
                    "INSERT INTO tickets (team, key, channel, owner, last_update_id, last_state,"
                    " last_update_at, first_seen_at, state_since)"
                    " VALUES (:team, :key, :channel, :user, :update_id, :state, :at, :at, :at)"
                    " ON CONFLICT (team, key) DO UPDATE SET"
                    "  channel = excluded.channel,"
                    "  owner = CASE WHEN :is_status THEN excluded.owner ELSE tickets.owner END,"
                    "  last_update_id = excluded.last_update_id,"
                    "  last_state = coalesce(excluded.last_state, tickets.last_state),"
                    "  state_since = CASE WHEN excluded.last_state IS NULL"
                    "                       OR excluded.last_state IS tickets.last_state"
                    "                     THEN tickets.state_since ELSE excluded.last_update_at END,"
                    "  last_update_at = excluded.last_update_at"),
      set_echo_ref(db, "UPDATE updates SET echo_ref = :ref WHERE id = :id"),
      db_(db) {}

SQLite::Statement& SqliteStore::Statements::cached(const std::string& sql) {
  auto& statement = by_sql_[sql];
  if (!statement) statement = std::make_unique<SQLite::Statement>(db_, sql);
  return *statement;
}

int execute(SQLite::Statement& statement) {
  ResetOnExit reset{statement};
  return statement.exec();
}

}  // namespace microalign::storage
