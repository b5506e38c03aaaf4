-- worker-upsert: records that a worker was seen, with the queues it consumes.
-- inputs:  :id :queues (text[]) :now
-- outputs: rowCount
INSERT INTO workers (id, queues, started_at, last_seen_at)
VALUES (:id, :queues::text[], :now, :now)
ON CONFLICT (id) DO UPDATE
SET queues = excluded.queues,
    last_seen_at = GREATEST(workers.last_seen_at, excluded.last_seen_at)
