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
