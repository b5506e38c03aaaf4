-- worker-upsert: records that a worker was seen, with the queues it consumes.
-- inputs:  :id :queues (JSON array) :now
-- outputs: changes
INSERT INTO workers (id, queues, started_at, last_seen_at, processed, failed)
VALUES (:id, :queues, :now, :now, 0, 0)
ON CONFLICT (id) DO UPDATE
SET queues = excluded.queues,
    last_seen_at = MAX(last_seen_at, excluded.last_seen_at)
