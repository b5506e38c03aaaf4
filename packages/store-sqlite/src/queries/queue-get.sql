-- queue-get: one queue.
-- inputs:  :name
-- outputs: name, paused, config (JSON), created_at, completed_total, failed_total; or no row
SELECT name, paused, config, created_at, completed_total, failed_total FROM queues WHERE name = :name
