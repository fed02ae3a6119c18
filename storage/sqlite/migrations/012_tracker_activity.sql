-- What the trackers (GitHub, Jira, Linear) said happened to tickets, from their webhooks
-- (PostgreSQL's 012 is the same). Conventions as in 001.
--
-- A delivery is stored once per ticket it names; the unique key makes a replayed delivery (the
-- same tracker and delivery id) write nothing. Tracker activity also moves the ticket's
-- last_update_at forward (it is the ticket's last sign of life, in chat or in a tracker: quiet
-- means both were silent) and can make it done; tickets.last_update_id stays the last update.
CREATE TABLE tracker_activity (
  id           INTEGER PRIMARY KEY,
  tracker      TEXT    NOT NULL CHECK (tracker = 'github' OR tracker = 'jira' OR tracker = 'linear'),
  delivery_id  TEXT    NOT NULL,
  ticket_key   TEXT    NOT NULL,
  action       TEXT    NOT NULL CHECK (action = 'opened' OR action = 'commented' OR action = 'pushed'
                                       OR action = 'reviewed' OR action = 'state_changed'
                                       OR action = 'assigned' OR action = 'closed' OR action = 'merged'
                                       OR action = 'reopened'),
  at           INTEGER NOT NULL,
  actor        TEXT    NOT NULL,
  item         TEXT    NOT NULL,
  url          TEXT    NOT NULL,
  detail       TEXT    NOT NULL,
  commits      INTEGER NOT NULL CHECK (commits >= 0),
  UNIQUE (tracker, delivery_id, ticket_key)
) STRICT;

-- Timelines read a ticket's activity newest first; digests a channel's tickets' activity in a window.
CREATE INDEX tracker_activity_by_ticket ON tracker_activity (ticket_key, at);

-- A tracker's key is the same in every team that names it: activity finds the tickets by key.
CREATE INDEX tickets_by_key ON tickets (key);
