-- Digests, the outbox and answers to assumptions: per-channel settings, a record of every digest
-- run, every message the bot sends (queued in the transaction that caused it), and which
-- assumptions someone answered. Conventions as in 001 (ms times, OR-chained CHECKs, STRICT).

-- The platform id of the message an update came from (the ts of an @mention), so that a reply
-- in its thread or a reaction on it can be recognised as an answer. '' for slash commands.
ALTER TABLE updates ADD COLUMN source_ref TEXT NOT NULL DEFAULT '';

-- When the ticket entered its current state: the first update of the latest run of updates
-- stating that state (updates that state nothing do not end a run). Kept by every ticket upsert,
-- so that digests sort troubled tickets by it without reading each ticket's history. For a
-- ticket never given a state, when it was first seen.
ALTER TABLE tickets ADD COLUMN state_since INTEGER NOT NULL DEFAULT 0;

-- Ticket timelines, and the history that state_since is worked out from below.
CREATE INDEX update_tickets_by_key ON update_tickets (ticket_key);

UPDATE tickets SET state_since = coalesce(
  (SELECT u.created_at
     FROM update_tickets k JOIN updates u ON u.id = k.update_id
    WHERE k.ticket_key = tickets.key AND u.team = tickets.team AND u.state = tickets.last_state
      AND u.id > coalesce((SELECT max(b.id)
                             FROM update_tickets bk JOIN updates b ON b.id = bk.update_id
                            WHERE bk.ticket_key = tickets.key AND b.team = tickets.team
                              AND b.state <> tickets.last_state), 0)
    ORDER BY u.id LIMIT 1),
  first_seen_at);

-- Quiet tickets: a channel's open tickets by last update. Done tickets pile up over the years;
-- leaving them out of the index keeps the digest's cost proportional to the open work.
CREATE INDEX open_tickets_by_channel ON tickets (team, channel, last_update_at)
  WHERE last_state IS NOT 'done';

-- Troubled tickets: few at any time, so the index holds only them.
CREATE INDEX troubled_tickets_by_channel ON tickets (team, channel, last_state)
  WHERE last_state = 'blocked' OR last_state = 'delayed' OR last_state = 'at_risk';

-- Assumptions only, for finding which one a reply or a reaction answers: by the echo's ts, the
-- mention's ts, or the thread it was posted in. Their (team, channel) prefix also finds a
-- channel's open assumptions. Other kinds of update never need these lookups, so they do not
-- pay for them on insert.
CREATE INDEX assumptions_by_echo ON updates (team, channel, echo_ref) WHERE kind = 'assumption';
CREATE INDEX assumptions_by_source ON updates (team, channel, source_ref) WHERE kind = 'assumption';
CREATE INDEX assumptions_by_thread ON updates (team, channel, thread) WHERE kind = 'assumption';

-- One row per channel that was ever configured.
CREATE TABLE channel_settings (
  team           TEXT    NOT NULL,
  channel        TEXT    NOT NULL,
  cadence        TEXT    NOT NULL CHECK (cadence = 'off' OR cadence = 'daily'
                                         OR cadence = 'weekdays' OR cadence = 'weekly'),
  time_of_day    INTEGER NOT NULL CHECK (time_of_day >= 0 AND time_of_day < 1440),  -- minutes
  weekday        INTEGER NOT NULL CHECK (weekday >= 0 AND weekday <= 6),  -- 0 = Sunday
  threaded       INTEGER NOT NULL CHECK (threaded = 0 OR threaded = 1),
  time_zone      TEXT    NOT NULL,  -- IANA name; '' until set
  quiet_days     INTEGER NOT NULL CHECK (quiet_days >= 1),  -- working days
  configured_by  TEXT    NOT NULL,  -- told privately when the bot cannot post here
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (team, channel)
) STRICT, WITHOUT ROWID;

-- Every digest run, posted or skipped; the key makes a second run for the same slot impossible.
CREATE TABLE digest_runs (
  team           TEXT    NOT NULL,
  channel        TEXT    NOT NULL,
  scheduled_for  INTEGER NOT NULL,
  window_start   INTEGER NOT NULL,  -- the window is (window_start, window_end]
  window_end     INTEGER NOT NULL,
  updates        INTEGER NOT NULL,
  people         INTEGER NOT NULL,
  tickets_moved  INTEGER NOT NULL,
  blocked        INTEGER NOT NULL,
  quiet          INTEGER NOT NULL,
  posted         INTEGER NOT NULL CHECK (posted = 0 OR posted = 1),
  recorded_at    INTEGER NOT NULL,
  PRIMARY KEY (team, channel, scheduled_for)
) STRICT, WITHOUT ROWID;

-- Every message the bot sends, from the transaction that decided to send it until it is sent or
-- given up on. Rows are kept afterwards: replies need their parent's ts.
CREATE TABLE outbox (
  id                 INTEGER PRIMARY KEY,
  created_at         INTEGER NOT NULL,
  team               TEXT    NOT NULL,
  channel            TEXT    NOT NULL,
  method             TEXT    NOT NULL CHECK (method = 'chat.postMessage'
                                             OR method = 'chat.postEphemeral'
                                             OR method = 'response_url'),
  body               TEXT    NOT NULL,
  thread_of          INTEGER REFERENCES outbox (id),   -- a reply in this message's thread
  update_id          INTEGER REFERENCES updates (id),  -- an echo of this update
  notify_on_failure  TEXT    NOT NULL,  -- user to tell when it cannot be sent; '' for nobody
  state              TEXT    NOT NULL CHECK (state = 'pending' OR state = 'sent'
                                             OR state = 'failed'),
  attempts           INTEGER NOT NULL,
  not_before         INTEGER NOT NULL,
  sent_ts            TEXT,              -- the platform id it got; NULL until sent (or if none)
  last_error         TEXT    NOT NULL,
  finished_at        INTEGER            -- when sent or given up on
) STRICT;

-- The sender's question, "what is due?", reads only pending rows, in the order they fall due.
CREATE INDEX outbox_due ON outbox (not_before) WHERE state = 'pending';
-- A parent that cannot be sent takes its pending replies with it.
CREATE INDEX outbox_pending_replies ON outbox (thread_of) WHERE state = 'pending';

-- Assumptions somebody answered: the first reply or reaction is kept.
CREATE TABLE assumption_answers (
  update_id  INTEGER PRIMARY KEY REFERENCES updates (id) ON DELETE CASCADE,
  kind       TEXT    NOT NULL CHECK (kind = 'reply' OR kind = 'reaction'),
  user       TEXT    NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
