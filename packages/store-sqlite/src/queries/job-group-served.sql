-- job-group-served: a group a lease served goes to the back of its queue's ring.
-- inputs:  :queue :group
-- outputs: changes (0 or 1)
UPDATE job_groups
SET turn = (SELECT MAX(turn) FROM job_groups WHERE queue = :queue) + 1
WHERE queue = :queue AND group_key = :group
