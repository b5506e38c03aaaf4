-- queue-list: queues by name (byte order: the column is COLLATE "C") after a cursor.
-- inputs:  :after (a name; '' for the first page) :limit
-- outputs: queue rows by name
SELECT name, paused, config, created_at FROM queues
WHERE name > :after
ORDER BY name
LIMIT :limit
