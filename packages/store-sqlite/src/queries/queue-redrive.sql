-- queue-redrive: dead jobs of a queue (optionally of one reason) go back to waiting, oldest first,
-- with attempts = 0, run_at = now and no expiry (a new life); the last error stays.
-- inputs:  :queue :reason (NULL for any) :now :limit
-- outputs: changes
UPDATE jobs
SET state = 'waiting',
    attempts = 0,
    run_at = :now,
    expires_at = NULL,
    dead_reason = NULL,
    finished_at = NULL
WHERE seq IN (
  SELECT seq FROM jobs
  WHERE finished_at IS NOT NULL AND queue = :queue AND state = 'dead'
    AND (:reason IS NULL OR dead_reason = :reason)
  ORDER BY finished_at, seq
  LIMIT CAST(:limit AS INTEGER)
)
