-- job-delete-completed-beyond: deletes the completed jobs of a queue beyond the newest :keep
-- (newest by finished_at, then seq).
-- inputs:  :queue :keep :limit
-- outputs: changes
DELETE FROM jobs
WHERE seq IN (
  SELECT seq FROM jobs
  WHERE finished_at IS NOT NULL AND queue = :queue AND state = 'completed'
  ORDER BY finished_at DESC, seq DESC
  LIMIT CAST(:limit AS INTEGER) OFFSET CAST(:keep AS INTEGER)
)
