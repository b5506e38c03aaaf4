-- job-group-served: the groups a lease served go to the back of their queue's ring, in the
-- order given (under the queue's row lock).
-- inputs:  :queue :groups (text[])
-- outputs: rowCount
UPDATE job_groups
SET turn = base.top + served.position
FROM (SELECT COALESCE(max(turn), 0) AS top FROM job_groups WHERE queue = :queue::text) AS base,
     unnest(:groups::text[]) WITH ORDINALITY AS served (group_key, position)
WHERE job_groups.queue = :queue::text AND job_groups.group_key = served.group_key
