-- job-list-waiting-lower-priority: waiting jobs of a queue with a priority below :priority.
-- inputs:  :queue :priority :limit
-- outputs: job rows in lease order
SELECT * FROM jobs
WHERE state = 'waiting' AND queue = :queue AND priority < :priority
ORDER BY priority DESC, run_at, seq
LIMIT CAST(:limit AS INTEGER)
