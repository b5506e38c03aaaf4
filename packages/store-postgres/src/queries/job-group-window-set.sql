-- job-group-window-set: records the leases a lease granted each given group in its rate window
-- (under the queue's row lock).
-- inputs:  :queue :groups (text[]) :starts (bigint[]) :useds (integer[])
-- outputs: rowCount
UPDATE job_groups
SET rate_start = input.start, rate_used = input.used
FROM unnest(:groups::text[], :starts::bigint[], :useds::integer[]) AS input (group_key, start, used)
WHERE job_groups.queue = :queue::text AND job_groups.group_key = input.group_key
