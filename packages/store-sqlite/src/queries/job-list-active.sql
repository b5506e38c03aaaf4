-- job-list-active: active jobs of a queue after a cursor, by seq. Reads the jobs_active index.
-- inputs:  :queue :seq :limit
-- outputs: job rows
SELECT * FROM jobs INDEXED BY jobs_active
WHERE state = 'active' AND queue = :queue AND seq > :seq
ORDER BY seq
LIMIT CAST(:limit AS INTEGER)
