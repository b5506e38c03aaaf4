-- queue-set-paused: creates the queue if needed and pauses or resumes it.
-- The caller reads the queue back with queue-get in the same transaction: a statement of its own,
-- whose snapshot sees any fold of the tallies that committed while this one waited for the row.
-- inputs:  :name :paused (boolean) :now
-- outputs: rowCount (1)
INSERT INTO queues (name, paused, config, created_at) VALUES (:name, :paused, '{}', :now)
ON CONFLICT (name) DO UPDATE SET paused = excluded.paused
