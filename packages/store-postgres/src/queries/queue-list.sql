-- queue-list: queues by name (byte order: the column is COLLATE "C") after a cursor, with the
-- tallies not folded yet added to their totals.
-- inputs:  :after (a name; '' for the first page) :limit
-- outputs: queue rows by name
SELECT queues.name, queues.paused, queues.config, queues.created_at,
       queues.completed_total + COALESCE(pending.completed, 0) AS completed_total,
       queues.failed_total + COALESCE(pending.failed, 0) AS failed_total
FROM queues
LEFT JOIN LATERAL (
  SELECT sum(completed)::bigint AS completed, sum(failed)::bigint AS failed
  FROM queue_tallies
  WHERE queue_tallies.queue = queues.name
) AS pending ON true
WHERE queues.name > :after
ORDER BY queues.name
LIMIT :limit
