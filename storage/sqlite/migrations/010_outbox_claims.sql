-- Several replicas on one database share each platform's outbox (PostgreSQL's 010 is the same):
-- a sender claims the messages it is about to send for a while (a lease), so that no other sends
-- them too, and what holds sends back (pacing per destination, a platform's Retry-After per kind
-- of delivery) is kept here rather than in one process's memory. Conventions as in 001.

-- Claimed by a sender until then (ms); NULL, or a time gone by: free to claim.
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;

-- A destination's messages go one at a time, in the order they fell due: a claim looks for an
-- earlier due message of the same destination through this index.
CREATE INDEX outbox_pending_by_destination ON outbox (platform, destination, not_before)
  WHERE state = 'pending';

CREATE TABLE outbox_holds (
  platform  TEXT    NOT NULL,
  kind      TEXT    NOT NULL CHECK (kind = 'destination' OR kind = 'delivery'),
  name      TEXT    NOT NULL,  -- the destination, or the delivery's name
  until     INTEGER NOT NULL,
  PRIMARY KEY (platform, kind, name)
) STRICT, WITHOUT ROWID;
