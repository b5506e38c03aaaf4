-- job-extend: moves the deadline of the lease under :token to :now + :leaseMs, never past the
-- attempt's hard limit (attempt_started_at + timeout_ms; LEAST ignores the NULL of no limit),
-- only while the job is active under that token and not expired.
-- inputs:  :id :token :now :leaseMs
-- outputs: the extended job row, or no row (the caller works out why)
UPDATE jobs
SET lease_expires_at = LEAST(:now::bigint + :leaseMs::bigint, attempt_started_at + timeout_ms)
WHERE id = :id AND state = 'active' AND lease_token = :token
  AND (expires_at IS NULL OR expires_at > :now)
RETURNING *
