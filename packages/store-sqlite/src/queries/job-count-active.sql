-- job-count-active: how many jobs of one queue are active (a `concurrency` limit's use).
-- Reads the jobs_active partial index: O(active jobs of every queue).
-- inputs:  :queue
-- outputs: n
SELECT count(*) AS n FROM jobs WHERE state = 'active' AND queue = :queue
