-- job-complete: an acked job becomes completed, only if it is active under :token and has not
-- expired, and its worker gets a processed tally and its queue a completed tally in the same
-- statement; otherwise nothing changes and the caller works out why.
-- inputs:  :id :token :now :result (JSON text or NULL)
-- outputs: the completed job row, or no row
WITH done AS (
  UPDATE jobs
  SET state = 'completed',
      result = :result,
      finished_at = :now,
      lease_token = NULL,
      lease_expires_at = NULL
  WHERE id = :id AND state = 'active' AND lease_token = :token
    AND (expires_at IS NULL OR expires_at > :now)
  RETURNING *
), counted AS (
  INSERT INTO worker_tallies (worker, processed, failed)
  SELECT worker, 1, 0 FROM done WHERE worker IS NOT NULL
), queue_counted AS (
  INSERT INTO queue_tallies (queue, completed, failed)
  SELECT queue, 1, 0 FROM done
)
SELECT * FROM done
