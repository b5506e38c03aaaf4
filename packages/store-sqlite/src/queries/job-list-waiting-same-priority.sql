-- job-list-waiting-same-priority: waiting jobs of a queue after a cursor, within its priority.
-- Together with job-list-waiting-lower-priority it pages through lease order on jobs_waiting.
-- inputs:  :queue :priority :runAt :seq :limit
-- outputs: job rows in lease order
SELECT * FROM jobs
WHERE state = 'waiting' AND queue = :queue AND priority = :priority
  AND (run_at, seq) > (:runAt, :seq)
ORDER BY run_at, seq
LIMIT CAST(:limit AS INTEGER)
