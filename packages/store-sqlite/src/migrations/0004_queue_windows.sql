-- 0003_queue_windows: the current rate-limit window of each queue with a `rateLimit` (see
-- QueueConfig): the window's start (a multiple of perMs) and the leases granted in it. A lease of
-- a rate-limited queue reads and writes its row in the lease's own transaction; a row whose start
-- is not the current window's counts as an empty window. Queues without a rate limit have none.
CREATE TABLE queue_windows (
  queue TEXT PRIMARY KEY,
  start INTEGER NOT NULL,
  used INTEGER NOT NULL
) WITHOUT ROWID;
