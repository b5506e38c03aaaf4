-- job-list-all: jobs of a queue in every state after a cursor, by seq (walks the table in seq order).
-- inputs:  :queue :seq :limit
-- outputs: job rows
SELECT * FROM jobs
WHERE queue = :queue AND seq > :seq
ORDER BY seq
LIMIT CAST(:limit AS INTEGER)
