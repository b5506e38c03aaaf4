-- job-lease: claims up to :max waiting jobs of the given queues in waiting order, in one
-- statement. Per queue (skipping paused and unknown queues), a LATERAL seek reads the head of
-- the jobs_waiting index with FOR UPDATE SKIP LOCKED, so the cost is O(log n + max) per queue
-- whatever the backlog, and two concurrent leases (on any server) never claim the same row; the
-- heads are merged in waiting order and the first :max claimed. Tokens go out in that order
-- (the n-th job gets the n-th token). The lease deadline is :now + (:leaseMs or the job's
-- leaseMs), capped at :now + timeout_ms (LEAST ignores the NULL of no limit). When :worker is
-- set, the worker registry records it, merges the queues into its list, and folds its tallies.
-- The rows are picked in a MATERIALIZED CTE: as an IN (subquery) the planner may run the
-- LIMIT ... FOR UPDATE part more than once and change more than :limit rows.
-- :caps holds, per queue, at most how many jobs it may give (:max, or less when a flow-control
-- limit holds: job-lease.ts works that out under the queue's row lock). Queues with a limit are
-- skipped unless :limited (the limited path, which holds their row locks).
-- inputs:  :queues (text[], no duplicates) :caps (integer[], one per queue) :limited :max :now
--          :leaseMs (NULL: the job's) :tokens (text[])
--          :worker (NULL: none)
-- outputs: the claimed job rows with lease_rank (1-based position in waiting order)
WITH candidates AS MATERIALIZED (
  SELECT picked.seq, picked.priority, picked.run_at
  FROM unnest(:queues::text[], :caps::integer[]) AS wanted (name, cap)
  JOIN queues ON queues.name = wanted.name AND NOT queues.paused AND (:limited::boolean OR NOT queues.limited)
  CROSS JOIN LATERAL (
    SELECT jobs.seq, jobs.priority, jobs.run_at
    FROM jobs
    WHERE jobs.state = 'waiting' AND jobs.queue = wanted.name
      AND (jobs.expires_at IS NULL OR jobs.expires_at > :now::bigint)
    ORDER BY jobs.priority DESC, jobs.run_at, jobs.seq
    LIMIT wanted.cap
    FOR UPDATE SKIP LOCKED
  ) AS picked
  ORDER BY picked.priority DESC, picked.run_at, picked.seq
  LIMIT :max::integer
), ranked AS (
  SELECT seq, row_number() OVER (ORDER BY priority DESC, run_at, seq) AS lease_rank
  FROM candidates
), claimed AS (
  UPDATE jobs
  SET state = 'active',
      attempts = jobs.attempts + 1,
      lease_token = (:tokens::text[])[ranked.lease_rank],
      lease_expires_at = :now::bigint + LEAST(COALESCE(:leaseMs::bigint, jobs.lease_ms), jobs.timeout_ms),
      attempt_started_at = :now::bigint,
      started_at = COALESCE(jobs.started_at, :now::bigint),
      worker = :worker::text
  FROM ranked
  WHERE jobs.seq = ranked.seq
  RETURNING jobs.*, ranked.lease_rank
), folded AS (
  DELETE FROM worker_tallies WHERE worker = :worker::text
  RETURNING processed, failed
), seen AS (
  INSERT INTO workers (id, queues, started_at, last_seen_at, processed, failed)
  SELECT :worker::text, :queues::text[], :now::bigint, :now::bigint,
         (SELECT COALESCE(sum(processed), 0) FROM folded), (SELECT COALESCE(sum(failed), 0) FROM folded)
  WHERE :worker::text IS NOT NULL
  ON CONFLICT (id) DO UPDATE
  SET queues = workers.queues
        || ARRAY(SELECT added FROM unnest(excluded.queues) AS added WHERE NOT added = ANY(workers.queues)),
      last_seen_at = GREATEST(workers.last_seen_at, excluded.last_seen_at),
      processed = workers.processed + excluded.processed,
      failed = workers.failed + excluded.failed
)
SELECT * FROM claimed ORDER BY lease_rank
