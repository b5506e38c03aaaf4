-- queue-purge: deletes the jobs of a queue in the given states, or in every state.
-- inputs:  :queue :states (text[], or NULL for all)
-- outputs: rowCount
DELETE FROM jobs
WHERE queue = :queue AND (:states::text[] IS NULL OR state = ANY(:states::text[]))
