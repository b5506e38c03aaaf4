-- queue-add-totals: adds one batch's completed jobs and failed attempts to a queue's totals.
-- inputs:  :name :completed :failed
-- outputs: changes (0 when the queue no longer exists)
UPDATE queues
SET completed_total = completed_total + :completed, failed_total = failed_total + :failed
WHERE name = :name
