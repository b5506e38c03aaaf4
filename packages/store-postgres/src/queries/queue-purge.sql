-- queue-purge: deletes the jobs of a queue in the given states, or in every state, and with
-- :reset its totals go back to 0 with its tallies (purgeResetsTotals in core decides), all in
-- one statement.
-- inputs:  :queue :states (text[], or NULL for all) :reset (boolean)
-- outputs: purged (the number of jobs deleted)
WITH purged AS (
  DELETE FROM jobs
  WHERE queue = :queue AND (:states::text[] IS NULL OR state = ANY(:states::text[]))
  RETURNING 1
), cleared AS (
  DELETE FROM queue_tallies WHERE :reset::boolean AND queue = :queue
), reset AS (
  UPDATE queues SET completed_total = 0, failed_total = 0 WHERE :reset::boolean AND name = :queue
)
SELECT count(*)::bigint AS purged FROM purged
