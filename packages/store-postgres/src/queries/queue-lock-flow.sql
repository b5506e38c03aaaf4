-- queue-lock-flow: locks the rows of the given queues, in name order (so two callers never
-- deadlock), and reads their config and rate window: the first step of a lease or enqueue of a
-- limited queue, so the counts the transaction reads next cannot change until it commits.
-- inputs:  :names (text[])
-- outputs: name, paused, config (JSON text), rate_start, rate_used
SELECT name, paused, config, rate_start, rate_used FROM queues
WHERE name = ANY(:names::text[])
ORDER BY name
FOR UPDATE
