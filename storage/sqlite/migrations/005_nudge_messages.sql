-- The blocks of each nudge DM as the bot last made them, so that answering one ticket (from a
-- button, or later from the update form) rewrites the message without bringing back buttons
-- already answered. Keyed by the DM's channel and ts, as Slack names a message.
CREATE TABLE nudge_messages (
  team       TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  ts         TEXT    NOT NULL,
  blocks     TEXT    NOT NULL,  -- Block Kit JSON array
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (team, channel, ts)
) WITHOUT ROWID;

-- Those rewrites are chat.update calls, sent through the outbox like every message. SQLite cannot
-- change a CHECK constraint in place, so the outbox is rebuilt with its rows and indexes. (Its
-- replies refer to the new table, so dropping the old one breaks no reference; the rename
-- renames the reference too.)
CREATE TABLE outbox_005 (
  id                 INTEGER PRIMARY KEY,
  created_at         INTEGER NOT NULL,
  team               TEXT    NOT NULL,
  channel            TEXT    NOT NULL,
  method             TEXT    NOT NULL CHECK (method = 'chat.postMessage'
                                             OR method = 'chat.postEphemeral'
                                             OR method = 'chat.update'
                                             OR method = 'response_url'),
  body               TEXT    NOT NULL,
  thread_of          INTEGER REFERENCES outbox_005 (id),  -- a reply in this message's thread
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
INSERT INTO outbox_005 SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_005 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (not_before) WHERE state = 'pending';
CREATE INDEX outbox_pending_replies ON outbox (thread_of) WHERE state = 'pending';
