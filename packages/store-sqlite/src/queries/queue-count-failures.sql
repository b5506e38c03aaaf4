-- queue-count-failures: creates the queue if needed and adds :count to its failed total.
-- inputs:  :name :count :now
-- outputs: the queue row
INSERT INTO queues (name, paused, config, created_at, failed_total) VALUES (:name, 0, '{}', :now, :count)
ON CONFLICT (name) DO UPDATE SET failed_total = failed_total + excluded.failed_total
RETURNING name, paused, config, created_at, completed_total, failed_total
