-- job-group-adopt: a queue with group settings: its unfinished jobs without a group join the
-- ungrouped lane (group_key ''), so its grouped lease finds them. Seeks the queue's waiting,
-- delayed and active jobs by their indexes; run when a queue gets group settings, and when a
-- server's routing cache first sees them (jobs that server enqueued before it knew).
-- inputs:  :queue
-- outputs: rowCount
UPDATE jobs SET group_key = ''
WHERE queue = :queue::text AND group_key IS NULL AND state IN ('waiting', 'delayed', 'active')
