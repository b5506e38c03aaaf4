-- queue-delete: removes a queue row (its jobs go with queue-purge first).
-- inputs:  :name
-- outputs: changes (0 or 1)
DELETE FROM queues WHERE name = :name
