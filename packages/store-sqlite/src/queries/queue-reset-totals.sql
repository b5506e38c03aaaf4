-- queue-reset-totals: a queue's totals go back to 0 (a purge took its history).
-- inputs:  :name
-- outputs: changes
UPDATE queues SET completed_total = 0, failed_total = 0 WHERE name = :name
