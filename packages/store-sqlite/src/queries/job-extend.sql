-- job-extend: moves the deadline of an active lease; the caller checked the lease.
-- inputs:  :seq :leaseExpiresAt
-- outputs: changes
UPDATE jobs SET lease_expires_at = :leaseExpiresAt WHERE seq = :seq
