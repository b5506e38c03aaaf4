-- queue-fold-tallies: moves a queue's tallies into its totals (see queue_tallies in
-- 0002_queue_totals.sql). Two folds of one queue at once cannot count a tally twice: the second
-- waits for the first's row locks and then finds those tallies deleted.
-- inputs:  :queue
-- outputs: rowCount (0 or 1)
WITH folded AS (
  DELETE FROM queue_tallies WHERE queue = :queue
  RETURNING completed, failed
)
UPDATE queues
SET completed_total = completed_total + (SELECT COALESCE(sum(completed), 0) FROM folded),
    failed_total = failed_total + (SELECT COALESCE(sum(failed), 0) FROM folded)
WHERE name = :queue
