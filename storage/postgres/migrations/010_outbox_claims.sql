-- As storage/sqlite/migrations/010_outbox_claims.sql: claims (leases) on outbox messages, so that
-- of several replicas one sends each message, and the holds (pacing, Retry-After) they share.
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;

CREATE INDEX outbox_pending_by_destination ON outbox (platform, destination, not_before)
  WHERE state = 'pending';

CREATE TABLE outbox_holds (
  platform  TEXT    NOT NULL,
  kind      TEXT    NOT NULL CHECK (kind IN ('destination', 'delivery')),
  name      TEXT    NOT NULL,
  until     BIGINT  NOT NULL,
  PRIMARY KEY (platform, kind, name)
);
