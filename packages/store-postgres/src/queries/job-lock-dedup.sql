-- job-lock-dedup: takes a transaction-scoped advisory lock per dedup key, in the order given
-- (the caller sorts them), so enqueues racing on one (queue, dedupKey) run one after the other.
-- inputs:  :keys (text[]: one string per schema, queue and dedupKey)
-- outputs: one row per lock taken
SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
FROM unnest(:keys::text[]) WITH ORDINALITY AS k (key, position)
ORDER BY position
