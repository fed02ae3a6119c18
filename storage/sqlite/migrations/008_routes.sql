-- Where a platform reaches each conversation (see storage/routes.hpp): Teams' service URL for a
-- channel or chat, recorded from every validated activity. Conventions as in 001 (ms times,
-- STRICT).
CREATE TABLE routes (
  platform      TEXT    NOT NULL,
  conversation  TEXT    NOT NULL,  -- a channel's or a chat's id (a Teams thread: without ;messageid=)
  team          TEXT    NOT NULL,  -- its workspace (Teams: the tenant)
  address       TEXT    NOT NULL,  -- Teams: the serviceUrl
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (platform, conversation)
) STRICT, WITHOUT ROWID;

-- A person's 1:1 chat is created at the address its team was last heard at.
CREATE INDEX routes_by_team ON routes (platform, team, updated_at);
