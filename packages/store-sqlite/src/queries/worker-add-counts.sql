-- worker-add-counts: adds one batch's completed jobs and failed attempts to a worker's counts.
-- inputs:  :id :processed :failed
-- outputs: changes
UPDATE workers SET processed = processed + :processed, failed = failed + :failed WHERE id = :id
