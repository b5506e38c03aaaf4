-- job-front-run-at: the earliest ready time among the waiting jobs of one queue and priority.
-- One seek into the jobs_waiting partial index.
-- inputs:  :queue :priority
-- outputs: min_run_at (NULL when no job of that priority waits)
SELECT min(run_at) AS min_run_at
FROM jobs
WHERE state = 'waiting' AND queue = :queue AND priority = :priority
