-- job-give-back: applies a nack target to an active job; the caller checked its lease.
-- inputs:  :seq :state :runAt :deadReason :finishedAt :error (JSON text; NULL keeps the last error)
--          :nacks :delayedNacks :attempts (the new counter values) :attemptLog (the history with
--          this attempt appended, or as it was for a rate-limited nack: JobAttempts as JSON text)
-- outputs: changes
UPDATE jobs
SET state = :state,
    run_at = :runAt,
    dead_reason = :deadReason,
    finished_at = :finishedAt,
    lease_token = NULL,
    lease_expires_at = NULL,
    error = COALESCE(:error, error),
    nacks = :nacks,
    delayed_nacks = :delayedNacks,
    attempts = :attempts,
    attempt_log = :attemptLog
WHERE seq = :seq
