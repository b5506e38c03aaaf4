-- job-kill: an unfinished job becomes dead with a reason (expired, cancelled), lease cleared.
-- inputs:  :seq :reason :now
-- outputs: changes
UPDATE jobs
SET state = 'dead',
    dead_reason = :reason,
    finished_at = :now,
    lease_token = NULL,
    lease_expires_at = NULL
WHERE seq = :seq
