-- job-find-dedup-many: the jobs of a queue holding any of several dedup keys whose window is
-- still open, oldest first: one seek of jobs_dedup per key (CROSS JOIN keeps json_each outside).
-- inputs:  :queue :keys (JSON array of dedup keys) :now
-- outputs: job rows by seq (the caller keeps the newest per key)
SELECT jobs.* FROM json_each(:keys) AS wanted
CROSS JOIN jobs ON jobs.queue = :queue AND jobs.dedup_key = wanted.value
WHERE jobs.dedup_key IS NOT NULL AND jobs.dedup_until > :now
ORDER BY jobs.seq
