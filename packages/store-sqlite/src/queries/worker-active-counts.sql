-- worker-active-counts: how many jobs each of the given workers holds active right now.
-- inputs:  :ids (JSON array of worker ids)
-- outputs: worker, active (workers holding none are absent)
SELECT worker, count(*) AS active
FROM jobs
WHERE state = 'active' AND worker IN (SELECT value FROM json_each(:ids))
GROUP BY worker
