-- job-groups-delete: forgets a deleted queue's ring (its jobs are gone already).
-- inputs:  :queue
-- outputs: changes
DELETE FROM job_groups WHERE queue = :queue
