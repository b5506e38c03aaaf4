-- job-lease-claim-seqs: claims the given waiting jobs (a grouped queue's picks, read and locked
-- by job-group-heads in this transaction) in the order given: the n-th gets the n-th token. The
-- lease deadline as in job-lease.sql. A job no longer waiting is not claimed.
-- inputs:  :seqs (bigint[]) :now :leaseMs (NULL: the job's) :tokens (text[]) :worker (NULL: none)
-- outputs: the claimed job rows, in the order given
WITH wanted AS (
  SELECT seq, rank FROM unnest(:seqs::bigint[]) WITH ORDINALITY AS input (seq, rank)
), claimed AS (
  UPDATE jobs
  SET state = 'active',
      attempts = jobs.attempts + 1,
      lease_token = (:tokens::text[])[wanted.rank],
      lease_expires_at = :now::bigint + LEAST(COALESCE(:leaseMs::bigint, jobs.lease_ms), jobs.timeout_ms),
      attempt_started_at = :now::bigint,
      started_at = COALESCE(jobs.started_at, :now::bigint),
      worker = :worker::text
  FROM wanted
  WHERE jobs.seq = wanted.seq AND jobs.state = 'waiting'
  RETURNING jobs.*, wanted.rank
)
SELECT * FROM claimed ORDER BY rank
