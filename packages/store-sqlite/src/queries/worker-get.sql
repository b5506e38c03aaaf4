-- worker-get: one worker's registry row.
-- inputs:  :id
-- outputs: id, queues (JSON), started_at, last_seen_at, processed, failed; or no row
SELECT id, queues, started_at, last_seen_at, processed, failed FROM workers WHERE id = :id
