-- queue-counts: the number of jobs of a queue in each state, each count from its partial index.
-- inputs:  :queue
-- outputs: waiting, delayed, active, completed, dead
SELECT
  (SELECT count(*) FROM jobs WHERE state = 'waiting' AND queue = :queue) AS waiting,
  (SELECT count(*) FROM jobs WHERE state = 'delayed' AND queue = :queue) AS delayed,
  (SELECT count(*) FROM jobs WHERE state = 'active' AND queue = :queue) AS active,
  (SELECT count(*) FROM jobs WHERE state IN ('completed', 'dead') AND queue = :queue AND state = 'completed')
    AS completed,
  (SELECT count(*) FROM jobs WHERE state IN ('completed', 'dead') AND queue = :queue AND state = 'dead') AS dead
