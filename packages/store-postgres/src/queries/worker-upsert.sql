-- worker-upsert: records that a worker was seen, with the queues it consumes, and folds its
-- tallies into its counts.
-- inputs:  :id :queues (text[]) :now
-- outputs: rowCount
WITH folded AS (
  DELETE FROM worker_tallies WHERE worker = :id::text
  RETURNING processed, failed
)
INSERT INTO workers (id, queues, started_at, last_seen_at, processed, failed)
SELECT :id::text, :queues::text[], :now::bigint, :now::bigint,
       (SELECT COALESCE(sum(processed), 0) FROM folded), (SELECT COALESCE(sum(failed), 0) FROM folded)
ON CONFLICT (id) DO UPDATE
SET queues = excluded.queues,
    last_seen_at = GREATEST(workers.last_seen_at, excluded.last_seen_at),
    processed = workers.processed + excluded.processed,
    failed = workers.failed + excluded.failed
