-- queue-window-set: records the leases granted in a queue's current rate window (its row is
-- locked by queue-lock-flow in the same transaction).
-- inputs:  :queue :start :used
-- outputs: rowCount (1)
UPDATE queues SET rate_start = :start::bigint, rate_used = :used::integer WHERE name = :queue
