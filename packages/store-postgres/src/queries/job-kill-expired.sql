-- job-kill-expired: an active job past its expiresAt becomes dead (expired), only while it is
-- still active under the caller's token (ack, nack and extend refuse after this).
-- inputs:  :id :token :now
-- outputs: rowCount (1 when killed)
UPDATE jobs
SET state = 'dead',
    dead_reason = 'expired',
    finished_at = :now,
    lease_token = NULL,
    lease_expires_at = NULL
WHERE id = :id AND state = 'active' AND lease_token = :token AND expires_at <= :now
