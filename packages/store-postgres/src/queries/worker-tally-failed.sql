-- worker-tally-failed: one more failed attempt for a worker (folded into workers later).
-- inputs:  :id
-- outputs: rowCount
INSERT INTO worker_tallies (worker, processed, failed) VALUES (:id, 0, 1)
