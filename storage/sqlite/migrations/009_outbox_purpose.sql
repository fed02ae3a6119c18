-- What an outbox message is, for the operator's counts (GET /metrics: digests posted, nudges
-- sent): 'digest' for the first message of a digest, 'nudge' for a nudge DM, 'other' for the rest
-- — and for every row queued before this version, which nothing counts. Conventions as in 001
-- (OR-chained CHECKs).
ALTER TABLE outbox ADD COLUMN purpose TEXT NOT NULL DEFAULT 'other'
  CHECK (purpose = 'other' OR purpose = 'digest' OR purpose = 'nudge');
