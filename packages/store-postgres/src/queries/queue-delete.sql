-- queue-delete: removes a queue row (its jobs go with queue-purge first, in the same transaction).
-- Its pending byte deltas (migration 0009) go with it.
-- inputs:  :name
-- outputs: rowCount (0 or 1)
WITH deltas AS (
  DELETE FROM queue_byte_deltas WHERE queue = :name
)
DELETE FROM queues WHERE name = :name
