-- queue-backlog-bytes-track: starts or stops a queue's running byte total (migration 0009) as its
-- config gains or loses `maxBytes`, dropping its pending deltas. Starting sums the waiting and
-- delayed payloads once, from the jobs_waiting and jobs_delayed_queue indexes, after
-- job-bytes-count.sql marked the queue's jobs; the caller holds the jobs table in SHARE mode
-- meanwhile, so no job write that missed the new total is in flight.
-- inputs:  :queue :tracked (boolean)
-- outputs: rowCount
WITH dropped AS (
  DELETE FROM queue_byte_deltas WHERE queue = :queue
)
UPDATE queues
SET backlog_bytes = CASE WHEN :tracked::boolean THEN (
  (SELECT COALESCE(sum(octet_length(data)), 0) FROM jobs WHERE state = 'waiting' AND queue = :queue)
  + (SELECT COALESCE(sum(octet_length(data)), 0) FROM jobs WHERE state = 'delayed' AND queue = :queue)
) END
WHERE name = :queue
