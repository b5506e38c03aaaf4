-- job-lease-claim: makes one waiting job active under a fresh lease.
-- inputs:  :seq :token :leaseExpiresAt :now :worker
-- outputs: changes
UPDATE jobs
SET state = 'active',
    attempts = attempts + 1,
    lease_token = :token,
    lease_expires_at = :leaseExpiresAt,
    attempt_started_at = :now,
    started_at = COALESCE(started_at, :now),
    worker = :worker
WHERE seq = :seq
