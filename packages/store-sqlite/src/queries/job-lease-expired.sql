-- job-lease-expired: active jobs whose lease ran out, earliest deadline first. Reads only.
-- inputs:  :now :limit
-- outputs: job rows
SELECT * FROM jobs
WHERE state = 'active' AND lease_expires_at <= :now
ORDER BY lease_expires_at, seq
LIMIT CAST(:limit AS INTEGER)
