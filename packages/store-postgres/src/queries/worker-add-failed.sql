-- worker-add-failed: one more failed attempt for a worker.
-- inputs:  :id
-- outputs: rowCount
UPDATE workers SET failed = failed + 1 WHERE id = :id
