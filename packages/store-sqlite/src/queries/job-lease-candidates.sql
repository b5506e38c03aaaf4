-- job-lease-candidates: the first waiting jobs of one queue in lease order, skipping expired ones.
-- Reads the jobs_waiting partial index from its start: O(log n + limit).
-- inputs:  :queue :now :limit
-- outputs: job rows, in lease order
SELECT * FROM jobs
WHERE state = 'waiting' AND queue = :queue AND (expires_at IS NULL OR expires_at > :now)
ORDER BY priority DESC, run_at, seq
LIMIT CAST(:limit AS INTEGER)
