-- job-list-finished: completed or dead jobs of a queue after a cursor, by seq.
-- inputs:  :queue :state ('completed' or 'dead') :seq :limit
-- outputs: job rows
SELECT * FROM jobs
WHERE finished_at IS NOT NULL AND queue = :queue AND state = :state AND seq > :seq
ORDER BY seq
LIMIT CAST(:limit AS INTEGER)
