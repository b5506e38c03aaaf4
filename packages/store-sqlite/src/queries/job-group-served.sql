-- job-group-served: the groups a lease served go to the back of their queue's ring, in serving
-- order: the n-th of :groups gets turn :top + n + 1 (:top from job-group-top-turn).
-- inputs:  :queue :groups (JSON array of group keys, each once) :top
-- outputs: changes
UPDATE job_groups
SET turn = :top + 1 + (SELECT served.key FROM json_each(:groups) AS served WHERE served.value = job_groups.group_key)
WHERE queue = :queue AND group_key IN (SELECT value FROM json_each(:groups))
