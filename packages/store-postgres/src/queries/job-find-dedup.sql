-- job-find-dedup: the job of a queue holding a dedup key whose window is still open.
-- inputs:  :queue :dedupKey :now
-- outputs: the newest such job row, or no row
SELECT * FROM jobs
WHERE dedup_key IS NOT NULL AND queue = :queue AND dedup_key = :dedupKey AND dedup_until > :now
ORDER BY seq DESC
LIMIT 1
