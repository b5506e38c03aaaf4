-- queue-list: queues by name (byte order: the column is COLLATE "C") after a cursor, with the
-- tallies not folded yet added to their totals (queue_rows, 0003).
-- inputs:  :after (a name; '' for the first page) :limit
-- outputs: queue rows by name
SELECT name, paused, config, created_at, completed_total, failed_total
FROM queue_rows
WHERE name > :after
ORDER BY name
LIMIT :limit
