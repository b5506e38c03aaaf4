-- queue-list-limited: the queues whose config sets a flow-control limit (concurrency, rateLimit,
-- maxWaiting, groupConcurrency, groupRateLimit), read about once a second into the store's routing cache (queue-flow.ts). Scans
-- the queues table, which holds one row per queue.
-- inputs:  (none)
-- outputs: name, config (JSON text)
SELECT name, config FROM queues
WHERE config LIKE '%"concurrency"%' OR config LIKE '%"rateLimit"%' OR config LIKE '%"maxWaiting"%' OR config LIKE '%"maxBytes"%'
   OR config LIKE '%"groupConcurrency"%' OR config LIKE '%"groupRateLimit"%'
