-- queue-get: one queue.
-- inputs:  :name
-- outputs: name, paused, config (JSON), created_at; or no row
SELECT name, paused, config, created_at FROM queues WHERE name = :name
