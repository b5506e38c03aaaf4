-- job-delete-dead-before: deletes dead jobs of a queue that finished before a time.
-- SKIP LOCKED: two servers cleaning at once delete disjoint rows and count each row once.
-- The rows are picked in a MATERIALIZED CTE: as an IN (subquery) the planner may run the
-- LIMIT ... FOR UPDATE part more than once and change more than :limit rows.
-- inputs:  :queue :before :limit
-- outputs: rowCount
WITH picked AS MATERIALIZED (
  SELECT seq FROM jobs
  WHERE state = 'dead' AND queue = :queue AND finished_at < :before
  ORDER BY finished_at, seq
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
)
DELETE FROM jobs
USING picked
WHERE jobs.seq = picked.seq
