-- worker-list: workers by id (byte order: the column is COLLATE "C") after a cursor, with the
-- tallies not folded yet added to their counts.
-- inputs:  :after (an id; '' for the first page) :limit
-- outputs: worker rows by id
SELECT workers.id, workers.queues, workers.started_at, workers.last_seen_at,
       workers.processed + COALESCE(pending.processed, 0) AS processed,
       workers.failed + COALESCE(pending.failed, 0) AS failed
FROM workers
LEFT JOIN LATERAL (
  SELECT sum(processed)::bigint AS processed, sum(failed)::bigint AS failed
  FROM worker_tallies
  WHERE worker_tallies.worker = workers.id
) AS pending ON true
WHERE workers.id > :after
ORDER BY workers.id
LIMIT :limit
