-- job-back-run-at: the latest ready time among the waiting jobs of one queue and priority.
-- One seek into the jobs_waiting partial index.
-- inputs:  :queue :priority
-- outputs: max_run_at (NULL when no job of that priority waits)
SELECT max(run_at) AS max_run_at
FROM jobs
WHERE state = 'waiting' AND queue = :queue AND priority = :priority
