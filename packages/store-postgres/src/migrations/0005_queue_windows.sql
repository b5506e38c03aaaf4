-- 0004_queue_windows: the current rate-limit window of each queue with a `rateLimit` (see
-- QueueConfig): `rate_start`, the window's start (a multiple of perMs), and `rate_used`, the
-- leases granted in it. A lease of a limited queue locks the queue's row (queue-lock-flow.sql),
-- reads and writes these in its own transaction; a start that is not the current window's counts
-- as an empty window.
ALTER TABLE queues ADD COLUMN rate_start bigint;
ALTER TABLE queues ADD COLUMN rate_used integer NOT NULL DEFAULT 0;
-- `limited`: the config sets a lease-time limit. The one-statement lease (job-lease.sql) skips
-- such queues unless called on the limited path, so a server that has not yet learnt of a new
-- limit can never lease past it.
ALTER TABLE queues ADD COLUMN limited boolean
  GENERATED ALWAYS AS (config LIKE '%"concurrency"%' OR config LIKE '%"rateLimit"%') STORED;
