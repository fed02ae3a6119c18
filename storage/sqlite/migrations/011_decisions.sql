-- The decision log (PostgreSQL's 011 is the same): each decision with its title, what was decided,
-- why, its impact ('' when none was given), its owner (the author), and the decision of the same
-- team it supersedes, if any. Kept apart from updates: a decision is no kind of update, and adding
-- one to updates.kind's CHECK would rebuild that table. Conventions as in 001.

CREATE TABLE decisions (
  id          INTEGER PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  team        TEXT    NOT NULL,
  channel     TEXT    NOT NULL,
  thread      TEXT    NOT NULL,  -- '' when posted at the channel's top level
  owner       TEXT    NOT NULL,
  title       TEXT    NOT NULL,
  decision    TEXT    NOT NULL,
  rationale   TEXT    NOT NULL,
  impact      TEXT    NOT NULL,
  text        TEXT    NOT NULL,  -- the whole text as typed
  supersedes  INTEGER REFERENCES decisions (id),
  source_ref  TEXT    NOT NULL   -- the message it came in; '' for a command
) STRICT;

-- Listings and digests: "decisions in this channel since T".
CREATE INDEX decisions_by_channel ON decisions (team, channel, created_at);
-- "Superseded by": the decisions naming this one.
CREATE INDEX decisions_by_supersedes ON decisions (supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE decision_tickets (
  decision_id  INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  ticket_key   TEXT    NOT NULL,
  PRIMARY KEY (decision_id, position)
) STRICT, WITHOUT ROWID;

-- Timelines: the decisions naming a ticket.
CREATE INDEX decision_tickets_by_key ON decision_tickets (ticket_key);

CREATE TABLE decision_links (
  decision_id  INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  url          TEXT    NOT NULL,
  PRIMARY KEY (decision_id, position)
) STRICT, WITHOUT ROWID;

-- A redelivered event that recorded a decision is recognised as an update's is.
ALTER TABLE seen_events ADD COLUMN decision_id INTEGER REFERENCES decisions (id) ON DELETE SET NULL;
