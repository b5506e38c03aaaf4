-- job-give-back: applies a nack target to an active job; the caller holds its row lock and
-- checked its lease.
-- inputs:  :seq :state :runAt :deadReason :finishedAt :error (JSON text; NULL keeps the last)
--          :nacks :delayedNacks (the new counter values)
-- outputs: the updated job row
UPDATE jobs
SET state = :state,
    run_at = :runAt,
    dead_reason = :deadReason,
    finished_at = :finishedAt,
    lease_token = NULL,
    lease_expires_at = NULL,
    error = COALESCE(:error, error),
    nacks = :nacks,
    delayed_nacks = :delayedNacks
WHERE seq = :seq
RETURNING *
