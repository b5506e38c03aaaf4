-- queue-backlog-bytes: the running total of a queue's waiting and delayed payload bytes (a
-- `maxBytes` limit's use; migration 0008), NULL when the queue has no `maxBytes`.
-- inputs:  :queue
-- outputs: bytes
SELECT backlog_bytes AS bytes FROM queues WHERE name = :queue
