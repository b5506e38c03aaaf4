-- worker-active-counts: how many jobs each of the given workers holds active right now.
-- inputs:  :ids (text[])
-- outputs: worker, active (workers holding none are absent)
SELECT worker, count(*) AS active
FROM jobs
WHERE state = 'active' AND worker = ANY(:ids::text[])
GROUP BY worker
