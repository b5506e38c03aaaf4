-- queue-backlog-bytes-track: starts or stops a queue's running byte total (migration 0008) as its
-- config gains or loses `maxBytes`. Starting sums the waiting and delayed payloads once (a scan of
-- the queue's backlog, only on the configure that sets it); a total already kept stays as it is.
-- inputs:  :queue :tracked (1 or 0)
-- outputs: changes
UPDATE queues
SET backlog_bytes = CASE
  WHEN NOT :tracked THEN NULL
  WHEN backlog_bytes IS NOT NULL THEN backlog_bytes
  ELSE (SELECT COALESCE(sum(length(CAST(data AS BLOB))), 0) FROM jobs
        WHERE queue = :queue AND (state = 'waiting' OR state = 'delayed'))
END
WHERE name = :queue
