-- job-delete: removes one job in any state.
-- inputs:  :id
-- outputs: rowCount (0 or 1)
DELETE FROM jobs WHERE id = :id
