-- job-lease-expired: active jobs whose lease ran out, earliest deadline first. Reads only; the
-- reaper then nacks each one fenced by its token, so reapers on several servers reap a job once.
-- inputs:  :now :limit
-- outputs: job rows
SELECT * FROM jobs
WHERE state = 'active' AND lease_expires_at <= :now
ORDER BY lease_expires_at, seq
LIMIT :limit
