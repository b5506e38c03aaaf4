-- queue-purge: deletes the jobs of a queue in the given states, or in every state.
-- inputs:  :queue :states (JSON array of states, or NULL for all)
-- outputs: changes
DELETE FROM jobs
WHERE queue = :queue
  AND (:states IS NULL OR state IN (SELECT value FROM json_each(:states)))
