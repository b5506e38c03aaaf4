-- job-complete: an acked job becomes completed, only if it is active under :token and has not
-- expired; otherwise nothing changes and the caller works out why. By seq (the rowid), which the
-- caller knows from the lease: no lookup in the id index.
-- inputs:  :seq :token :now :result (JSON text or NULL)
-- outputs: changes (1 when completed)
UPDATE jobs
SET state = 'completed',
    result = :result,
    finished_at = :now,
    lease_token = NULL,
    lease_expires_at = NULL
WHERE seq = :seq AND state = 'active' AND lease_token = :token
  AND (expires_at IS NULL OR expires_at > :now)
