-- job-count-backlog: waiting and delayed jobs of one queue (a `maxWaiting` limit's use), from the
-- jobs_waiting and jobs_delayed_queue partial indexes.
-- inputs:  :queue
-- outputs: n
SELECT (SELECT count(*) FROM jobs WHERE state = 'waiting' AND queue = :queue)
     + (SELECT count(*) FROM jobs WHERE state = 'delayed' AND queue = :queue) AS n
