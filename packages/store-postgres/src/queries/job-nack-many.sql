-- job-nack-many: the fast path of a batch nack (and of the reaper giving back a batch of expired
-- leases). Every item whose job is active under the item's token and has not expired (and, for a
-- reaper item, whose lease has run out) gets its target in one statement, with the failed tallies
-- of job-nack.sql. Only the first item of an id takes part (a repeat must be refused, as a second
-- nack would be). Items that match nothing are settled one by one by the caller, which works out
-- why.
-- Placement is that of nacking the items one by one: the jobs a batch sends to the back of one
-- queue and priority go behind the latest waiting job in item order, one ms apart; those it
-- sends to the front go ahead of the earliest in reverse item order. The subqueries read the
-- waiting jobs as they were before the statement, so each group counts from the same bound.
-- Each ended attempt is appended to its job's history, as in job-nack.sql, but for a rate-limited
-- item (given_back), which gives its attempt back instead.
-- Reaper items lock their rows with SKIP LOCKED first, for the reason job-nack.sql gives.
-- inputs:  :ids (text[]) :tokens (text[]) :states (text[]: 'waiting', 'delayed' or 'dead')
--          :placements (text[]: 'front', 'back' or NULL) :runAts (bigint[]: a delayed target's)
--          :deadReasons (text[]) :errors (text[]: JSON text or NULL) :placementNacks (boolean[])
--          :failures (boolean[]) :leaseExpiredOnly (boolean[]) :givenBack (boolean[]) :now
--          :historyMax (MAX_ATTEMPT_HISTORY)
-- outputs: the nacked job rows, each with nack_ord (its item's 1-based position), in no order
WITH items AS (
  SELECT DISTINCT ON (id) *
  FROM unnest(:ids::text[], :tokens::text[], :states::text[], :placements::text[], :runAts::bigint[],
              :deadReasons::text[], :errors::text[], :placementNacks::boolean[], :failures::boolean[],
              :leaseExpiredOnly::boolean[], :givenBack::boolean[])
    WITH ORDINALITY AS item(id, token, state, placement, run_at, dead_reason, error, placement_nack,
                           failure, lease_expired_only, given_back, ord)
  ORDER BY id, ord
), reapable AS (
  SELECT jobs.seq
  FROM jobs JOIN items ON jobs.id = items.id
  WHERE items.lease_expired_only AND jobs.state = 'active' AND jobs.lease_token = items.token
    AND jobs.lease_expires_at <= :now::bigint
  ORDER BY jobs.seq
  FOR UPDATE OF jobs SKIP LOCKED
), targets AS (
  SELECT jobs.seq, items.token, items.state, items.placement, items.run_at, items.dead_reason,
         items.error, items.placement_nack, items.failure, items.lease_expired_only, items.given_back, items.ord,
         row_number() OVER (PARTITION BY jobs.queue, jobs.priority, items.placement ORDER BY items.ord) AS place_rank
  FROM jobs JOIN items ON jobs.id = items.id
  WHERE jobs.state = 'active' AND jobs.lease_token = items.token
    AND (jobs.expires_at IS NULL OR jobs.expires_at > :now::bigint)
    AND (NOT items.lease_expired_only OR jobs.seq IN (SELECT seq FROM reapable))
), given AS (
  UPDATE jobs
  SET state = targets.state,
      run_at = CASE
        WHEN targets.state = 'delayed' THEN targets.run_at
        WHEN targets.state = 'dead' THEN jobs.run_at
        WHEN targets.placement = 'front' THEN LEAST(
          :now::bigint,
          (SELECT min(waiting.run_at) - 1 FROM jobs AS waiting
           WHERE waiting.state = 'waiting' AND waiting.queue = jobs.queue AND waiting.priority = jobs.priority))
          - (targets.place_rank - 1)
        ELSE GREATEST(
          :now::bigint,
          (SELECT max(waiting.run_at) + 1 FROM jobs AS waiting
           WHERE waiting.state = 'waiting' AND waiting.queue = jobs.queue AND waiting.priority = jobs.priority))
          + (targets.place_rank - 1)
      END,
      dead_reason = targets.dead_reason,
      finished_at = CASE WHEN targets.state = 'dead' THEN :now::bigint END,
      lease_token = NULL,
      lease_expires_at = NULL,
      error = COALESCE(targets.error, jobs.error),
      nacks = jobs.nacks + CASE WHEN targets.placement_nack THEN 1 ELSE 0 END,
      delayed_nacks = jobs.delayed_nacks
        + CASE WHEN targets.placement_nack AND targets.state = 'delayed' THEN 1 ELSE 0 END,
      attempts = jobs.attempts - CASE WHEN targets.given_back THEN 1 ELSE 0 END,
      attempt_log = CASE WHEN targets.given_back THEN jobs.attempt_log ELSE (
        SELECT jsonb_build_object(
          'attempts', CASE WHEN jsonb_array_length(log -> 'attempts') >= :historyMax::integer
                           THEN (log -> 'attempts') - 0 ELSE log -> 'attempts' END
                      || jsonb_build_array(jsonb_build_object(
        'attempt', jobs.attempts, 'leasedAt', jobs.attempt_started_at, 'endedAt', :now::bigint,
        'outcome', CASE WHEN targets.placement_nack THEN 'released' WHEN targets.lease_expired_only THEN 'lease-expired' ELSE 'failed' END,
        'worker', jobs.worker, 'error', targets.error::jsonb - 'at' - 'attempt', 'next', targets.state,
        'retryDelayMs', CASE WHEN targets.state = 'dead' THEN NULL
                             WHEN targets.state = 'delayed' THEN GREATEST(0, targets.run_at - :now::bigint) ELSE 0 END)),
          'dropped', (log ->> 'dropped')::integer
                     + CASE WHEN jsonb_array_length(log -> 'attempts') >= :historyMax::integer THEN 1 ELSE 0 END)::text
        FROM (SELECT COALESCE(jobs.attempt_log::jsonb, '{"attempts": [], "dropped": 0}'::jsonb) AS log) AS history) END
  FROM targets
  WHERE jobs.seq = targets.seq AND jobs.state = 'active' AND jobs.lease_token = targets.token
    AND (jobs.expires_at IS NULL OR jobs.expires_at > :now::bigint)
    AND (NOT targets.lease_expired_only OR jobs.lease_expires_at <= :now::bigint)
  RETURNING jobs.*, targets.failure AS nack_failure, targets.ord AS nack_ord
), tallied AS (
  INSERT INTO worker_tallies (worker, processed, failed)
  SELECT worker, 0, count(*) FROM given WHERE nack_failure AND worker IS NOT NULL GROUP BY worker
), queue_tallied AS (
  INSERT INTO queue_tallies (queue, completed, failed)
  SELECT queue, 0, count(*) FROM given WHERE nack_failure GROUP BY queue
)
SELECT * FROM given
