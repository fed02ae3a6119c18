-- The first schema: updates as posted, their tickets and links, a summary row per ticket, and the
-- Slack event ids already handled. Times are INTEGER milliseconds since the Unix epoch, UTC.
-- Enum columns hold the names from bot/core/model.cpp; the CHECKs keep anything else out. They
-- are spelled as OR chains because SQLite evaluates `x IN (three or more constants)` through a
-- temporary b-tree built for every row, which made each insert allocate and free ~350 KB.
-- STRICT tables refuse values of the wrong type instead of silently converting them.

CREATE TABLE updates (
  id          INTEGER PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  team        TEXT    NOT NULL,
  channel     TEXT    NOT NULL,
  thread      TEXT    NOT NULL,  -- '' when posted at the channel's top level
  user        TEXT    NOT NULL,
  source      TEXT    NOT NULL CHECK (source = 'slash' OR source = 'mention'),
  kind        TEXT    NOT NULL CHECK (kind = 'heads_up' OR kind = 'status' OR kind = 'assumption'
                                      OR kind = 'question'),
  state       TEXT             CHECK (state = 'on_track' OR state = 'at_risk' OR state = 'delayed'
                                      OR state = 'blocked' OR state = 'done'),
  delay_days  INTEGER,
  blocked_on  TEXT    NOT NULL,  -- '' when the update names nothing
  text        TEXT    NOT NULL,
  echo_ref    TEXT             -- the echo message's platform id, once posted
) STRICT;

-- Digests: "updates in this channel since T".
CREATE INDEX updates_by_channel ON updates (team, channel, created_at);

CREATE TABLE update_tickets (
  update_id   INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,  -- order in the text
  ticket_key  TEXT    NOT NULL,
  PRIMARY KEY (update_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE update_links (
  update_id   INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  url         TEXT    NOT NULL,
  PRIMARY KEY (update_id, position)
) STRICT, WITHOUT ROWID;

-- One row per ticket ever named, kept current by every update naming it, so that nudges read
-- "latest update per ticket" and "quiet for N days" without scanning the history.
CREATE TABLE tickets (
  team            TEXT    NOT NULL,
  key             TEXT    NOT NULL,
  channel         TEXT    NOT NULL,  -- where it was last talked about
  owner           TEXT    NOT NULL,  -- author of the latest status update (else of the first update)
  last_update_id  INTEGER NOT NULL REFERENCES updates (id),
  last_state      TEXT             CHECK (last_state = 'on_track' OR last_state = 'at_risk'
                                          OR last_state = 'delayed' OR last_state = 'blocked'
                                          OR last_state = 'done'),
  last_update_at  INTEGER NOT NULL,
  first_seen_at   INTEGER NOT NULL,
  PRIMARY KEY (team, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX tickets_by_last_update ON tickets (last_update_at);
CREATE INDEX tickets_by_channel ON tickets (team, channel, last_update_at);

-- Slack delivers events at least once; an event id found here has been handled already.
-- Rows are pruned after a few days (Slack retries within minutes).
CREATE TABLE seen_events (
  event_id   TEXT    PRIMARY KEY,
  seen_at    INTEGER NOT NULL,
  update_id  INTEGER REFERENCES updates (id) ON DELETE SET NULL  -- NULL: nothing was stored
) STRICT, WITHOUT ROWID;

CREATE INDEX seen_events_by_time ON seen_events (seen_at);
