-- job-group-window-set: records the leases a lease granted a group in its rate window.
-- inputs:  :queue :group :start :used
-- outputs: changes (0 or 1)
UPDATE job_groups SET rate_start = :start, rate_used = :used
WHERE queue = :queue AND group_key = :group
