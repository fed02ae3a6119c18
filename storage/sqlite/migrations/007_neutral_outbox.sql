-- A platform-neutral outbox (issue 9): rows hold the platform, the destination, how to deliver
-- the message and the core Message itself (as JSON, microalign/core/message_json.hpp); each
-- platform's adapter renders it when it sends, and records the id it gets back as the row's
-- sent_ref. Besides: which platform each workspace is on, people's direct conversations with the
-- bot, and the interactive messages (the nudge DMs) kept as core Messages rather than as Slack's
-- blocks. Conventions as in 001 (ms times, OR-chained CHECKs, STRICT).

-- The outbox is rebuilt (SQLite cannot change a table's columns and CHECKs in place), keeping
-- every row and its id, so that replies still find their parents: nothing queued is lost.
CREATE TABLE outbox_007 (
  id                 INTEGER PRIMARY KEY,
  created_at         INTEGER NOT NULL,
  platform           TEXT    NOT NULL CHECK (platform <> ''),  -- whose sender sends it
  team               TEXT    NOT NULL,
  destination        TEXT    NOT NULL,  -- a channel; the person for 'direct'; for replies, the
                                        -- command's channel. Pacing is per destination.
  delivery           TEXT    NOT NULL CHECK (delivery = 'post' OR delivery = 'direct'
                                             OR delivery = 'update' OR delivery = 'reply'
                                             OR delivery = 'private_reply'),
  message            TEXT,              -- the core Message as JSON, rendered when it is sent
  rendered           TEXT,              -- or the payload in the platform's format (rows below)
  thread             TEXT    NOT NULL,  -- post: the platform thread it replies in; '' for none
  thread_of          INTEGER REFERENCES outbox_007 (id),  -- a reply in this message's thread
  target             TEXT    NOT NULL,  -- update: the platform id of the message it replaces
  reply_handle       TEXT    NOT NULL,  -- replies: where to answer; post: where to go instead
  interactive        INTEGER NOT NULL CHECK (interactive = 0 OR interactive = 1),
  update_id          INTEGER REFERENCES updates (id),  -- an echo of this update
  notify_on_failure  TEXT    NOT NULL,  -- user to tell when it cannot be sent; '' for nobody
  state              TEXT    NOT NULL CHECK (state = 'pending' OR state = 'sent'
                                             OR state = 'failed'),
  attempts           INTEGER NOT NULL,
  not_before         INTEGER NOT NULL,
  sent_conversation  TEXT,              -- where it went ('direct': the conversation opened)
  sent_ref           TEXT,              -- the platform's id for it ('' for replies)
  last_error         TEXT    NOT NULL,
  finished_at        INTEGER,           -- when sent or given up on
  CHECK ((message IS NULL) <> (rendered IS NULL)),  -- one or the other
  -- where and as what it went are known once it is sent, and only then
  CHECK ((state = 'sent') = (sent_conversation IS NOT NULL AND sent_ref IS NOT NULL))
) STRICT;

-- The rows carried over were queued for Slack as the body of a Web API call, with control keys
-- for the old sender. Each body is kept as `rendered` (a message already in Slack's format,
-- which cannot be turned back into a core Message), without those keys, which become columns:
--   chat.postMessage with microalign_open_dm_with: direct, to that user. The DM's channel was
--     never recorded, so a sent one's conversation is ''.
--   other chat.postMessage: post to the channel, microalign_fallback_response_url its reply
--     handle. A mention's echo keeps its thread_ts, which is its `thread` too.
--   chat.update: update of the message whose ts the body names.
--   response_url: reply (in_channel) or private_reply, through the body's url.
--   chat.postEphemeral: no version ever queued one (they were sent directly), and no delivery
--     stands for them now: private_reply with no handle, and a pending one fails. It fails as of
--     the latest time it knows: the bot's clock (a fake one in tests) is not SQL's.
-- None is interactive: the sender keeps an interactive message as a core Message, which these
-- are not; a click on such a nudge DM rewrites it as Slack shows it instead.
WITH bodies AS (
  -- A body that is not JSON (the old sender failed those) is read as '{}', and carried over as
  -- it was.
  SELECT o.*, iif(json_valid(o.body), o.body, '{}') AS j FROM outbox o),
old AS (
  SELECT bodies.*,
         CASE
           WHEN method = 'chat.postMessage' AND json_type(j, '$.microalign_open_dm_with') IS NOT NULL
             THEN 'direct'
           WHEN method = 'chat.postMessage' THEN 'post'
           WHEN method = 'chat.update' THEN 'update'
           WHEN method = 'response_url' AND json_extract(j, '$.response_type') = 'in_channel' THEN 'reply'
           ELSE 'private_reply'
         END AS delivery,
         method = 'chat.postEphemeral' AND state = 'pending' AS unsendable
    FROM bodies)
INSERT INTO outbox_007 (id, created_at, platform, team, destination, delivery, message, rendered,
                        thread, thread_of, target, reply_handle, interactive, update_id,
                        notify_on_failure, state, attempts, not_before, sent_conversation,
                        sent_ref, last_error, finished_at)
SELECT id, created_at, 'slack', team,
       iif(delivery = 'direct', coalesce(json_extract(j, '$.microalign_open_dm_with'), ''), channel),
       delivery,
       NULL,
       CASE
         WHEN NOT json_valid(body) THEN body
         WHEN method = 'chat.postMessage'
           THEN json_remove(body, '$.microalign_open_dm_with', '$.microalign_fallback_response_url')
         WHEN method = 'response_url' THEN json_remove(body, '$.url')
         ELSE body
       END,
       iif(delivery = 'post', coalesce(json_extract(j, '$.thread_ts'), ''), ''),
       thread_of,
       iif(delivery = 'update', coalesce(json_extract(j, '$.ts'), ''), ''),
       CASE
         WHEN method = 'response_url' THEN coalesce(json_extract(j, '$.url'), '')
         WHEN delivery = 'post' THEN coalesce(json_extract(j, '$.microalign_fallback_response_url'), '')
         ELSE ''
       END,
       0,
       update_id, notify_on_failure,
       iif(unsendable, 'failed', state),
       attempts, not_before,
       iif(state = 'sent', iif(delivery = 'direct', '', channel), NULL),
       iif(state = 'sent', coalesce(sent_ts, ''), NULL),
       iif(unsendable, 'carried over by migration 007: ephemeral messages are no longer queued', last_error),
       iif(unsendable, max(created_at, not_before), finished_at)
  FROM old;
DROP TABLE outbox;
ALTER TABLE outbox_007 RENAME TO outbox;

-- Each platform's sender asks "what is due for me?": the pending rows only, in the order they
-- fall due, so the query reads them straight from this index and stops at its LIMIT.
CREATE INDEX outbox_due ON outbox (platform, not_before) WHERE state = 'pending';
-- Housekeeping finds finished messages by age (006); pending ones, never pruned, stay out of it.
CREATE INDEX outbox_finished ON outbox (finished_at) WHERE state <> 'pending';
-- A message's replies: whether a parent must be kept (006), and which pending replies fail with
-- a parent that cannot be sent (002's outbox_pending_replies found those; SQLite already chose
-- this index for them, so that one is not made again).
CREATE INDEX outbox_replies ON outbox (thread_of) WHERE thread_of IS NOT NULL;

-- The platform each workspace is on, so that what the bot does on its own (digests, nudges)
-- goes through the right adapter. Every workspace known so far is a Slack one.
CREATE TABLE workspaces (
  team      TEXT NOT NULL PRIMARY KEY,
  platform  TEXT NOT NULL CHECK (platform <> '')
) STRICT, WITHOUT ROWID;
INSERT INTO workspaces (team, platform)
  SELECT team, 'slack' FROM updates
  UNION SELECT team, 'slack' FROM channel_settings
  UNION SELECT team, 'slack' FROM channel_holidays
  UNION SELECT team, 'slack' FROM people
  UNION SELECT team, 'slack' FROM outbox;

-- A person's direct conversation with the bot, once the platform opened it: Teams asks bots to
-- keep it rather than create it again, and Slack's sender need not ask for it at every DM.
CREATE TABLE direct_conversations (
  platform      TEXT    NOT NULL,
  team          TEXT    NOT NULL,
  user          TEXT    NOT NULL,
  conversation  TEXT    NOT NULL,
  updated_at    INTEGER NOT NULL,  -- when it was learned, or last changed
  PRIMARY KEY (platform, team, user)
) STRICT, WITHOUT ROWID;

-- The messages people answer with their buttons (the nudge DMs) as they now read, so that each
-- answer rewrites the latest version. They replace 005's nudge_messages, which held Slack's
-- blocks keyed by the DM's ts: those cannot be turned into core Messages in SQL, so they are
-- dropped. A click on such a DM rewrites it from the message as Slack shows it, which the click
-- carries (the adapter reads it), as it did for a DM whose blocks were forgotten.
DROP TABLE nudge_messages;
CREATE TABLE interactive_messages (
  platform      TEXT    NOT NULL,
  team          TEXT    NOT NULL,
  conversation  TEXT    NOT NULL,  -- as the platform names the message: where it is
  ref           TEXT    NOT NULL,  -- and its id there
  message       TEXT    NOT NULL,  -- the core Message as JSON
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (platform, team, conversation, ref)
) STRICT, WITHOUT ROWID;
-- Housekeeping forgets them by age (as 006 did nudge_messages); the index holds the key too.
CREATE INDEX interactive_messages_by_age ON interactive_messages (updated_at);
