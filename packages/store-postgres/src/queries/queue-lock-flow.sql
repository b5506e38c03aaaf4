-- queue-lock-flow: locks the rows of the given queues, in name order (so two callers never
-- deadlock), and reads their config and rate window: the first step of a lease or enqueue of a
-- limited queue, so the counts the transaction reads next cannot change until it commits.
-- The empty DELETE takes the jobs table's ROW EXCLUSIVE lock as the statement starts, before
-- any row lock: every transaction that locks a queue row and then writes jobs holds it first, so
-- a configure that holds the table in SHARE ROW EXCLUSIVE mode (job-lock-for-bytes.sql) before
-- it locks a queue row can never deadlock with one.
-- inputs:  :names (text[])
-- outputs: name, paused, config (JSON text), rate_start, rate_used
WITH hold AS (
  DELETE FROM jobs WHERE false
)
SELECT name, paused, config, rate_start, rate_used FROM queues
WHERE name = ANY(:names::text[])
ORDER BY name
FOR UPDATE
