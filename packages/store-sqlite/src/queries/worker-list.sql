-- worker-list: workers by id after a cursor.
-- inputs:  :after (an id; '' for the first page) :limit
-- outputs: worker rows by id
SELECT id, queues, started_at, last_seen_at, processed, failed FROM workers
WHERE id > :after
ORDER BY id
LIMIT CAST(:limit AS INTEGER)
