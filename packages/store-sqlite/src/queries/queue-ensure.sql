-- queue-ensure: creates a queue with an empty config unless it exists.
-- inputs:  :name :now
-- outputs: changes (1 when created)
INSERT INTO queues (name, paused, config, created_at) VALUES (:name, 0, '{}', :now)
ON CONFLICT (name) DO NOTHING
