-- Nudges: people's time zones and nudge preferences, channels' holidays, and per ticket an owner
-- named by hand, a snooze and the last nudge sent. Conventions as in 001 (ms times, OR-chained
-- CHECKs, STRICT).
--
-- Dates (an away-until day, a holiday) are calendar dates in someone's own time zone, not
-- instants, so they are stored as 'YYYY-MM-DD' text: they sort and compare as dates, read as
-- dates in the sqlite3 shell, and cannot be mistaken for the INTEGER millisecond times.

-- A person's row may now exist before their name is known, made by a setting or by the first
-- nudge DM. It then has name '' and updated_at 0 ("name never learned") until they post.
ALTER TABLE people ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';  -- IANA name; '' = unknown (UTC)
ALTER TABLE people ADD COLUMN away_until TEXT  -- inclusive, their own date; NULL when not away
  CHECK (away_until GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
ALTER TABLE people ADD COLUMN nudges_off INTEGER NOT NULL DEFAULT 0
  CHECK (nudges_off = 0 OR nudges_off = 1);
ALTER TABLE people ADD COLUMN last_nudge_dm_at INTEGER;  -- NULL until their first nudge DM

-- Days a channel does not work on, besides weekends, in the channel's own dates.
CREATE TABLE channel_holidays (
  team     TEXT NOT NULL,
  channel  TEXT NOT NULL,
  day      TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  PRIMARY KEY (team, channel, day)
) STRICT, WITHOUT ROWID;

-- What the nudges know about a ticket beyond its summary row; a row exists only for tickets that
-- were given an owner by hand, snoozed or nudged.
CREATE TABLE ticket_nudges (
  team                  TEXT    NOT NULL,
  key                   TEXT    NOT NULL,
  owner_override        TEXT,     -- named by hand; wins over tickets.owner. NULL: none named
  snoozed_until         INTEGER,  -- no nudge before this time; NULL: never snoozed
  nudged_for_update_id  INTEGER REFERENCES updates (id),  -- the last update when last nudged
  nudged_at             INTEGER,
  CHECK ((nudged_for_update_id IS NULL) = (nudged_at IS NULL)),
  PRIMARY KEY (team, key),
  FOREIGN KEY (team, key) REFERENCES tickets (team, key)
) STRICT, WITHOUT ROWID;

-- Candidates for nudges: every team's open tickets by last update, so that finding the quiet
-- ones reads only them, however many done tickets have piled up. It carries every column the
-- query reads (team and key come with the primary key): looking up each ticket's row instead
-- costs a random page read per candidate, most of the query's time over a million tickets. It
-- replaces 001's index over every ticket, which was meant for this query and is used by no other.
CREATE INDEX open_tickets_by_last_update
  ON tickets (last_update_at, channel, owner, last_state, state_since, last_update_id)
  WHERE last_state IS NOT 'done';
DROP INDEX tickets_by_last_update;
