-- queue-configure: creates the queue if needed and replaces its config.
-- inputs:  :name :config (JSON) :now
-- outputs: the queue row
INSERT INTO queues (name, paused, config, created_at) VALUES (:name, 0, :config, :now)
ON CONFLICT (name) DO UPDATE SET config = excluded.config
RETURNING name, paused, config, created_at, completed_total, failed_total
