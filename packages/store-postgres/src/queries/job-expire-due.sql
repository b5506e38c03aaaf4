-- job-expire-due: unfinished jobs whose expiry has come become dead (expired), earliest first.
-- Reads the jobs_expiry partial index; SKIP LOCKED and the re-checked state guard make two
-- servers sweeping at once expire disjoint jobs, each exactly once.
-- The rows are picked in a MATERIALIZED CTE: as an IN (subquery) the planner may run the
-- LIMIT ... FOR UPDATE part more than once and change more than :limit rows.
-- inputs:  :now :limit
-- outputs: the expired job rows (in no particular order)
WITH picked AS MATERIALIZED (
  SELECT seq FROM jobs
  WHERE expires_at IS NOT NULL AND state IN ('waiting', 'delayed', 'active') AND expires_at <= :now
  ORDER BY expires_at, seq
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
)
UPDATE jobs
SET state = 'dead',
    dead_reason = 'expired',
    finished_at = :now,
    lease_token = NULL,
    lease_expires_at = NULL
FROM picked
WHERE jobs.seq = picked.seq
  AND jobs.state IN ('waiting', 'delayed', 'active')
RETURNING jobs.*
