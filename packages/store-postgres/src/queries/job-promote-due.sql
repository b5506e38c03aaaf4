-- job-promote-due: delayed jobs whose run_at has come become waiting; run_at stays their ready
-- time. Reads the jobs_delayed_due index; SKIP LOCKED and the re-checked state guard make two
-- servers promoting at once promote disjoint jobs, each exactly once.
-- The rows are picked in a MATERIALIZED CTE: as an IN (subquery) the planner may run the
-- LIMIT ... FOR UPDATE part more than once and change more than :limit rows.
-- inputs:  :now :limit
-- outputs: the promoted job rows (in no particular order)
WITH picked AS MATERIALIZED (
  SELECT seq FROM jobs
  WHERE state = 'delayed' AND run_at <= :now
  ORDER BY run_at, seq
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
)
UPDATE jobs
SET state = 'waiting'
FROM picked
WHERE jobs.seq = picked.seq
  AND jobs.state = 'delayed'
RETURNING jobs.*
