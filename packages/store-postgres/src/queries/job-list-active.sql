-- job-list-active: active jobs of a queue after a cursor, by seq (the active set is small).
-- inputs:  :queue :seq :limit
-- outputs: job rows
SELECT * FROM jobs
WHERE state = 'active' AND queue = :queue AND seq > :seq
ORDER BY seq
LIMIT :limit
