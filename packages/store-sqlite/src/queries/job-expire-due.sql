-- job-expire-due: unfinished jobs whose expiry has come become dead (expired), earliest first.
-- Reads the jobs_expiry partial index.
-- inputs:  :now :limit
-- outputs: the updated job rows (in no particular order)
UPDATE jobs
SET state = 'dead',
    dead_reason = 'expired',
    finished_at = :now,
    lease_token = NULL,
    lease_expires_at = NULL
WHERE seq IN (
  SELECT seq FROM jobs
  WHERE expires_at IS NOT NULL AND (state = 'waiting' OR state = 'delayed' OR state = 'active')
    AND expires_at <= :now
  ORDER BY expires_at
  LIMIT CAST(:limit AS INTEGER)
)
RETURNING *
