-- queue-list: queues by name after a cursor.
-- inputs:  :after (a name; '' for the first page) :limit
-- outputs: queue rows by name
SELECT name, paused, config, created_at, completed_total, failed_total FROM queues
WHERE name > :after
ORDER BY name
LIMIT CAST(:limit AS INTEGER)
