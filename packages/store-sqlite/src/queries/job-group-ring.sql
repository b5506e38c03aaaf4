-- job-group-ring: the next groups of a grouped queue's ring that have waiting jobs, by turn,
-- after turn :after (a lease reads the ring in chunks). Reads the job_groups_ring partial index.
-- inputs:  :queue :after :limit
-- outputs: group_key, turn, held, rate_start, rate_used
SELECT group_key, turn, held, rate_start, rate_used FROM job_groups
WHERE queue = :queue AND waiting > 0 AND turn > :after
ORDER BY turn
LIMIT CAST(:limit AS INTEGER)
