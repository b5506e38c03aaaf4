-- job-cancel: an unfinished job becomes dead (cancelled), lease cleared. The state guard makes a
-- cancel racing an ack or a nack of the same job have exactly one winner (row lock, re-checked).
-- inputs:  :id :now
-- outputs: the cancelled job row, or no row (missing or already finished)
UPDATE jobs
SET state = 'dead',
    dead_reason = 'cancelled',
    finished_at = :now,
    lease_token = NULL,
    lease_expires_at = NULL
WHERE id = :id AND state IN ('waiting', 'delayed', 'active')
RETURNING *
