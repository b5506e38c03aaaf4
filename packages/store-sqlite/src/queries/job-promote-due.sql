-- job-promote-due: delayed jobs whose run_at has come become waiting; run_at stays their ready time.
-- Reads the jobs_delayed partial index.
-- inputs:  :now :limit
-- outputs: the updated job rows (in no particular order)
UPDATE jobs
SET state = 'waiting'
WHERE seq IN (
  SELECT seq FROM jobs
  WHERE state = 'delayed' AND run_at <= :now
  ORDER BY run_at
  LIMIT CAST(:limit AS INTEGER)
)
RETURNING *
