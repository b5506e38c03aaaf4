-- queue-set-paused: creates the queue if needed and pauses or resumes it.
-- inputs:  :name :paused (0 or 1) :now
-- outputs: the queue row
INSERT INTO queues (name, paused, config, created_at) VALUES (:name, :paused, '{}', :now)
ON CONFLICT (name) DO UPDATE SET paused = excluded.paused
RETURNING name, paused, config, created_at, completed_total, failed_total
