-- job-delete-completed-beyond: deletes the completed jobs of a queue beyond the newest :keep
-- (newest by finished_at, then seq). Not SKIP LOCKED: the offset must count every kept row; a
-- concurrent cleaner deleting the same rows waits, then finds them gone and counts nothing.
-- The rows are picked in a MATERIALIZED CTE: as an IN (subquery) the planner may run the
-- LIMIT ... FOR UPDATE part more than once and change more than :limit rows.
-- inputs:  :queue :keep :limit
-- outputs: rowCount
WITH picked AS MATERIALIZED (
  SELECT seq FROM jobs
  WHERE state = 'completed' AND queue = :queue
  ORDER BY finished_at DESC, seq DESC
  OFFSET :keep
  LIMIT :limit
)
DELETE FROM jobs
USING picked
WHERE jobs.seq = picked.seq
  AND jobs.state = 'completed'
