-- The names people go by, so that digests and timelines name them (without pinging them) even
-- right after a restart. Updated whenever someone posts under a name Slack tells us.
CREATE TABLE people (
  team TEXT NOT NULL,
  user TEXT NOT NULL,
  name TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (team, user)
) STRICT;
