-- job-list-delayed: delayed jobs of a queue after a cursor, by due time then seq.
-- inputs:  :queue :runAt :seq :limit
-- outputs: job rows
SELECT * FROM jobs
WHERE state = 'delayed' AND queue = :queue AND (run_at, seq) > (:runAt, :seq)
ORDER BY run_at, seq
LIMIT CAST(:limit AS INTEGER)
