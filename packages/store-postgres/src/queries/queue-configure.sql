-- queue-configure: creates the queue if needed and replaces its config.
-- The tallies are read in the statement's snapshot: a fold committing while this waits for the
-- queue's row lock may be counted twice in the reply (never in the stored totals).
-- inputs:  :name :config (JSON) :now
-- outputs: the queue row, with the tallies not folded yet added to its totals
WITH upserted AS (
  INSERT INTO queues (name, paused, config, created_at) VALUES (:name, false, :config, :now)
  ON CONFLICT (name) DO UPDATE SET config = excluded.config
  RETURNING name, paused, config, created_at, completed_total, failed_total
)
SELECT upserted.name, upserted.paused, upserted.config, upserted.created_at,
       upserted.completed_total + COALESCE(pending.completed, 0) AS completed_total,
       upserted.failed_total + COALESCE(pending.failed, 0) AS failed_total
FROM upserted
LEFT JOIN LATERAL (
  SELECT sum(completed)::bigint AS completed, sum(failed)::bigint AS failed
  FROM queue_tallies
  WHERE queue_tallies.queue = upserted.name
) AS pending ON true
