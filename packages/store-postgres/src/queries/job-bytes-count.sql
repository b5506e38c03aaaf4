-- job-bytes-count: marks the jobs of a queue that just got `maxBytes` as counted (migration 0009),
-- every job that is or may again be waiting or delayed (all but completed ones), so their later
-- moves keep the queue's byte total. Scans the queue's jobs once, under the caller's SHARE lock
-- of the jobs table (job-lock-for-bytes.sql). The update is not of `state`: no delta is written.
-- inputs:  :queue
-- outputs: rowCount
UPDATE jobs SET bytes_counted = true
WHERE queue = :queue AND NOT bytes_counted AND state <> 'completed'
