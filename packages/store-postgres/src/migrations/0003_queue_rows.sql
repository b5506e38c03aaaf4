-- 0003_queue_rows: queue_rows, each queue with the tallies not folded yet added to its totals
-- (see queue_tallies in 0002_queue_totals.sql): what every read of a queue returns
-- (queue-get.sql, queue-list.sql), written once. A plain view: PostgreSQL inlines it, so a read
-- by name still seeks the queues primary key and the tallies index.
CREATE VIEW queue_rows AS
SELECT queues.name, queues.paused, queues.config, queues.created_at,
       queues.completed_total + COALESCE(pending.completed, 0) AS completed_total,
       queues.failed_total + COALESCE(pending.failed, 0) AS failed_total
FROM queues
LEFT JOIN LATERAL (
  SELECT sum(completed)::bigint AS completed, sum(failed)::bigint AS failed
  FROM queue_tallies
  WHERE queue_tallies.queue = queues.name
) AS pending ON true;
