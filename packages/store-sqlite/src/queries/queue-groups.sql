-- queue-groups: a queue's groups with waiting or held jobs, the deepest first, without the
-- ungrouped lane (''). Reads the queue's rows of job_groups: O(groups of the queue).
-- inputs:  :queue :limit
-- outputs: group_key, waiting, held
SELECT group_key, waiting, held FROM job_groups
WHERE queue = :queue AND group_key <> '' AND (waiting > 0 OR held > 0)
ORDER BY waiting DESC, group_key
LIMIT CAST(:limit AS INTEGER)
