-- job-insert: inserts a run of new jobs with one statement (one array per column, one element
-- per job), in the order given, so their seqs increase in that order. A job whose id exists
-- (in the table, or earlier in the same run) is skipped; the caller reads those back. The jobs'
-- queues that do not exist yet are created with an empty config (as queue-ensure.sql, in name
-- order), so a run of plain jobs is one statement and can commit alone. A job of a queue with
-- `maxBytes` gets `bytes_counted` (migration 0009): one look-up of its queue's row per job.
-- inputs:  :ids :queues :names :states :encodings :datas (bytea[]) :priorities :maxAttempts
--          :createdAts :runAts :expiresAts :leaseMss :timeoutMss :backoffs (JSON) :dedupKeys
--          :dedupUntils :metas (JSON) :groups, all arrays of the same length; :now
-- outputs: id, seq of each job inserted
WITH ensured AS (
  INSERT INTO queues (name, paused, config, created_at)
  SELECT DISTINCT name, false, '{}', :now::bigint FROM unnest(:queues::text[]) AS name
  ORDER BY name
  ON CONFLICT (name) DO NOTHING
)
INSERT INTO jobs (
  id, queue, name, state, encoding, data, priority, max_attempts, created_at, run_at,
  expires_at, lease_ms, timeout_ms, backoff, dedup_key, dedup_until, meta, group_key, bytes_counted
)
SELECT id, queue, name, state, encoding, data, priority, max_attempts, created_at, run_at,
       expires_at, lease_ms, timeout_ms, backoff, dedup_key, dedup_until, meta, group_key,
       EXISTS (SELECT 1 FROM queues WHERE queues.name = input.queue AND queues.backlog_bytes IS NOT NULL)
FROM unnest(
  :ids::text[], :queues::text[], :names::text[], :states::text[], :encodings::text[],
  :datas::bytea[], :priorities::integer[], :maxAttempts::integer[], :createdAts::bigint[],
  :runAts::bigint[], :expiresAts::bigint[], :leaseMss::bigint[], :timeoutMss::bigint[],
  :backoffs::text[], :dedupKeys::text[], :dedupUntils::bigint[], :metas::text[], :groups::text[]
) WITH ORDINALITY AS input (
  id, queue, name, state, encoding, data, priority, max_attempts, created_at, run_at,
  expires_at, lease_ms, timeout_ms, backoff, dedup_key, dedup_until, meta, group_key, position
)
ORDER BY position
ON CONFLICT (id) DO NOTHING
RETURNING id, seq
