-- queue-delete: removes a queue row (its jobs go with queue-purge first, in the same transaction).
-- inputs:  :name
-- outputs: rowCount (0 or 1)
DELETE FROM queues WHERE name = :name
