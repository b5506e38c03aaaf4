-- job-count-backlog: how many jobs of one queue wait, ready or delayed (a `maxWaiting` limit's use).
-- inputs:  :queue
-- outputs: n
SELECT (SELECT count(*) FROM jobs WHERE state = 'waiting' AND queue = :queue)
     + (SELECT count(*) FROM jobs WHERE state = 'delayed' AND queue = :queue) AS n
