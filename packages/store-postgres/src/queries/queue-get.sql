-- queue-get: one queue, with the tallies not folded yet added to its totals (queue_rows, 0003).
-- inputs:  :name
-- outputs: name, paused, config (JSON), created_at, completed_total, failed_total; or no row
SELECT name, paused, config, created_at, completed_total, failed_total
FROM queue_rows
WHERE name = :name
