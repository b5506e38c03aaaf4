-- job-groups-delete: forgets a deleted queue's ring (its jobs went first, in the same transaction).
-- inputs:  :queue
-- outputs: rowCount
DELETE FROM job_groups WHERE queue = :queue::text
