-- job-complete-many: job-complete for many jobs in one statement. Each acked job becomes
-- completed only if it is active under its token and has not expired; the others do not change
-- (the caller works out why, one by one). The caller lists each job at most once.
-- inputs:  :acks (JSON text: an array of [seq, token, result JSON text or null]) :now
-- outputs: the seq of each completed job
UPDATE jobs
SET state = 'completed',
    result = ack.result,
    finished_at = :now,
    lease_token = NULL,
    lease_expires_at = NULL
FROM (
  SELECT value ->> 0 AS seq, value ->> 1 AS token, value ->> 2 AS result
  FROM json_each(:acks)
) AS ack
WHERE jobs.seq = ack.seq AND jobs.state = 'active' AND jobs.lease_token = ack.token
  AND (jobs.expires_at IS NULL OR jobs.expires_at > :now)
RETURNING jobs.seq
