-- Daily housekeeping forgets finished outbox rows and nudge DMs' blocks after 30 days (see
-- storage::prune_outbox and storage::forget_nudge_messages). These indexes let it find the old
-- rows, a batch at a time, without reading the tables whole.

-- Finished messages by age; pending ones, never pruned, stay out of it.
CREATE INDEX outbox_finished ON outbox (finished_at) WHERE state <> 'pending';
-- Whether any row still replies in a message's thread: such a parent is kept (its ts is still
-- needed, and its replies refer to it).
CREATE INDEX outbox_replies ON outbox (thread_of) WHERE thread_of IS NOT NULL;

CREATE INDEX nudge_messages_by_age ON nudge_messages (updated_at);
