-- job-group-adopt: when a queue gets group settings, its unfinished jobs without a group join
-- the ungrouped lane (group_key ''), so the grouped lease finds them. Scans the queue's jobs
-- (there is no plain queue index): once per configure that turns group settings on.
-- inputs:  :queue
-- outputs: changes
UPDATE jobs SET group_key = ''
WHERE queue = :queue AND group_key IS NULL AND (state = 'waiting' OR state = 'delayed' OR state = 'active')
