-- queue-backlog-bytes: folds the queue's committed byte deltas (migration 0009) into its running
-- total and returns it: a `maxBytes` limit's use, read under the queue's row lock (the bounded
-- enqueue path), so no other fold runs at once. NULL (no row) when the queue has no `maxBytes`.
-- inputs:  :queue
-- outputs: bytes
WITH folded AS (
  DELETE FROM queue_byte_deltas WHERE queue = :queue RETURNING delta
)
UPDATE queues SET backlog_bytes = backlog_bytes + COALESCE((SELECT sum(delta) FROM folded), 0)
WHERE name = :queue AND backlog_bytes IS NOT NULL
RETURNING backlog_bytes AS bytes
