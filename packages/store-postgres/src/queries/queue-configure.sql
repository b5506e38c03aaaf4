-- queue-configure: creates the queue if needed and replaces its config.
-- The caller reads the queue back with queue-get in the same transaction: a statement of its own,
-- whose snapshot sees any fold of the tallies that committed while this one waited for the row.
-- inputs:  :name :config (JSON) :now
-- outputs: rowCount (1)
INSERT INTO queues (name, paused, config, created_at) VALUES (:name, false, :config, :now)
ON CONFLICT (name) DO UPDATE SET config = excluded.config
