-- queue-redrive: dead jobs of a queue (optionally of one reason) go back to waiting, oldest
-- first, with attempts = 0, run_at = now and no expiry (a new life); the last error stays.
-- The rows are picked in a MATERIALIZED CTE: as an IN (subquery) the planner may run the
-- LIMIT ... FOR UPDATE part more than once and change more than :limit rows.
-- inputs:  :queue :reason (NULL for any) :now :limit
-- outputs: rowCount
WITH picked AS MATERIALIZED (
  SELECT seq FROM jobs
  WHERE state IN ('completed', 'dead') AND queue = :queue AND state = 'dead'
    AND (:reason::text IS NULL OR dead_reason = :reason::text)
  ORDER BY finished_at, seq
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
)
UPDATE jobs
SET state = 'waiting',
    attempts = 0,
    run_at = :now,
    expires_at = NULL,
    dead_reason = NULL,
    finished_at = NULL
FROM picked
WHERE jobs.seq = picked.seq
  AND jobs.state = 'dead'
