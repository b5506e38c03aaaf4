-- job-retry: one dead job goes back to waiting (an operator's retry), as queue-redrive moves
-- them: attempts = 0, run_at = now, no expiry (a new life); the last error stays.
-- inputs:  :id :now
-- outputs: the retried job row, or no row (missing or not dead)
UPDATE jobs
SET state = 'waiting',
    attempts = 0,
    run_at = :now,
    expires_at = NULL,
    dead_reason = NULL,
    finished_at = NULL
WHERE id = :id AND state = 'dead'
RETURNING *
