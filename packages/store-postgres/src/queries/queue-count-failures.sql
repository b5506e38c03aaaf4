-- queue-count-failures: creates the queue if needed and adds :count to its failed total. Reported
-- failures are rare next to acks, so they update the queue's row rather than append a tally.
-- The caller reads the queue back with queue-get in the same transaction: a statement of its own,
-- whose snapshot sees any fold of the tallies that committed while this one waited for the row.
-- inputs:  :name :count :now
-- outputs: rowCount (1)
INSERT INTO queues (name, paused, config, created_at, failed_total) VALUES (:name, false, '{}', :now, :count)
ON CONFLICT (name) DO UPDATE SET failed_total = queues.failed_total + excluded.failed_total
