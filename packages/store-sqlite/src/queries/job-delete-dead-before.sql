-- job-delete-dead-before: deletes dead jobs of a queue that finished before a time.
-- inputs:  :queue :before :limit
-- outputs: changes
DELETE FROM jobs
WHERE seq IN (
  SELECT seq FROM jobs
  WHERE finished_at IS NOT NULL AND queue = :queue AND state = 'dead'
    AND finished_at < :before
  LIMIT CAST(:limit AS INTEGER)
)
