-- job-group-heads: the first waiting jobs of one group in group order (priority desc, then seq),
-- skipping expired ones. Reads the jobs_group_waiting partial index: O(log n + limit).
-- inputs:  :queue :group :now :limit
-- outputs: job rows, in group order
SELECT * FROM jobs
WHERE state = 'waiting' AND group_key IS NOT NULL AND queue = :queue AND group_key = :group
  AND (expires_at IS NULL OR expires_at > :now)
ORDER BY priority DESC, seq
LIMIT CAST(:limit AS INTEGER)
