-- job-count-active: active jobs per queue (a `concurrency` limit's use). Reads the jobs_active
-- partial index: O(active jobs of every queue).
-- inputs:  :queues (text[])
-- outputs: queue, n
SELECT queue, count(*)::integer AS n FROM jobs
WHERE state = 'active' AND queue = ANY(:queues::text[])
GROUP BY queue
