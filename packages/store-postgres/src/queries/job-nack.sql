-- job-nack: applies a nack target to a job, only if it is active under :token, has not expired,
-- and (for the reaper) its lease has run out; otherwise nothing changes and the caller works out
-- why. `front` takes a ready time just before the earliest waiting job of the same queue and
-- priority (or now, when that is earlier or nothing waits: LEAST ignores NULL); `back` just after
-- the latest one (or now). A failed attempt also gets a failed tally for the job's worker and
-- one for its queue. The ended attempt is appended to the job's history (migration 0006; the
-- entry of store-support's endedAttempt), keeping the latest :historyMax and counting the dropped.
-- A rate-limited nack (:givenBack) gives the lease back instead: attempts goes down by one and the
-- history is kept as it was.
-- The reaper (:leaseExpiredOnly) skips a row another transaction holds (SKIP LOCKED): reapers on
-- several servers race for the same expired leases, and one waiting on another's row lock would
-- hold a tuple lock that makes concurrent leases skip the job just given back. The lock is taken
-- only while the job is still active under :token, so a job already given back is never locked.
-- inputs:  :id :token :now :leaseExpiredOnly (boolean)
--          :state ('waiting', 'delayed' or 'dead') :placement ('front', 'back' or NULL)
--          :runAt (a delayed target's, else NULL) :deadReason (a dead target's, else NULL)
--          :error (JSON text; NULL keeps the last) :placementNack (boolean) :failure (boolean)
--          :givenBack (boolean) :historyMax (MAX_ATTEMPT_HISTORY)
-- outputs: the nacked job row, or no row
WITH given AS (
  UPDATE jobs
  SET state = :state::text,
      run_at = CASE
        WHEN :state::text = 'delayed' THEN :runAt::bigint
        WHEN :state::text = 'dead' THEN jobs.run_at
        WHEN :placement::text = 'front' THEN LEAST(
          :now::bigint,
          (SELECT min(waiting.run_at) - 1 FROM jobs AS waiting
           WHERE waiting.state = 'waiting' AND waiting.queue = jobs.queue AND waiting.priority = jobs.priority))
        ELSE GREATEST(
          :now::bigint,
          (SELECT max(waiting.run_at) + 1 FROM jobs AS waiting
           WHERE waiting.state = 'waiting' AND waiting.queue = jobs.queue AND waiting.priority = jobs.priority))
      END,
      dead_reason = :deadReason::text,
      finished_at = CASE WHEN :state::text = 'dead' THEN :now::bigint END,
      lease_token = NULL,
      lease_expires_at = NULL,
      error = COALESCE(:error::text, jobs.error),
      nacks = jobs.nacks + CASE WHEN :placementNack::boolean THEN 1 ELSE 0 END,
      delayed_nacks = jobs.delayed_nacks
        + CASE WHEN :placementNack::boolean AND :state::text = 'delayed' THEN 1 ELSE 0 END,
      attempts = jobs.attempts - CASE WHEN :givenBack::boolean THEN 1 ELSE 0 END,
      attempt_log = CASE WHEN :givenBack::boolean THEN jobs.attempt_log ELSE (
        SELECT jsonb_build_object(
          'attempts', CASE WHEN jsonb_array_length(log -> 'attempts') >= :historyMax::integer
                           THEN (log -> 'attempts') - 0 ELSE log -> 'attempts' END
                      || jsonb_build_array(jsonb_build_object(
        'attempt', jobs.attempts, 'leasedAt', jobs.attempt_started_at, 'endedAt', :now::bigint,
        'outcome', CASE WHEN :placementNack::boolean THEN 'released' WHEN :leaseExpiredOnly::boolean THEN 'lease-expired' ELSE 'failed' END,
        'worker', jobs.worker, 'error', :error::text::jsonb - 'at' - 'attempt', 'next', :state::text,
        'retryDelayMs', CASE WHEN :state::text = 'dead' THEN NULL
                             WHEN :state::text = 'delayed' THEN GREATEST(0, :runAt::bigint - :now::bigint) ELSE 0 END)),
          'dropped', (log ->> 'dropped')::integer
                     + CASE WHEN jsonb_array_length(log -> 'attempts') >= :historyMax::integer THEN 1 ELSE 0 END)::text
        FROM (SELECT COALESCE(jobs.attempt_log::jsonb, '{"attempts": [], "dropped": 0}'::jsonb) AS log) AS history) END
  WHERE jobs.id = :id AND jobs.state = 'active' AND jobs.lease_token = :token
    AND (jobs.expires_at IS NULL OR jobs.expires_at > :now::bigint)
    AND (NOT :leaseExpiredOnly::boolean OR (jobs.lease_expires_at <= :now::bigint AND jobs.seq IN (
      SELECT locked.seq FROM jobs AS locked
      WHERE locked.id = :id AND locked.state = 'active' AND locked.lease_token = :token
      FOR UPDATE SKIP LOCKED)))
  RETURNING jobs.*
), tallied AS (
  INSERT INTO worker_tallies (worker, processed, failed)
  SELECT worker, 0, 1 FROM given WHERE :failure::boolean AND worker IS NOT NULL
), queue_tallied AS (
  INSERT INTO queue_tallies (queue, completed, failed)
  SELECT queue, 0, 1 FROM given WHERE :failure::boolean
)
SELECT * FROM given
