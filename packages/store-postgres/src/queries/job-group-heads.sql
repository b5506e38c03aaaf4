-- job-group-heads: the first waiting jobs of each given group in group order (priority desc,
-- then seq), skipping expired ones, at most :limits[i] for :groups[i]: one seek of the
-- jobs_group_waiting index per group, rows another transaction holds skipped. The rows are
-- locked until the lease's transaction ends.
-- inputs:  :queue :groups (text[]) :limits (integer[]) :now
-- outputs: seq, priority, run_at, group_key, position (of the group in :groups)
SELECT picked.seq, picked.priority, picked.run_at, picked.group_key, wanted.position
FROM unnest(:groups::text[], :limits::integer[]) WITH ORDINALITY AS wanted (group_key, cap, position)
CROSS JOIN LATERAL (
  SELECT jobs.seq, jobs.priority, jobs.run_at, jobs.group_key
  FROM jobs
  WHERE jobs.state = 'waiting' AND jobs.group_key IS NOT NULL
    AND jobs.queue = :queue::text AND jobs.group_key = wanted.group_key
    AND (jobs.expires_at IS NULL OR jobs.expires_at > :now::bigint)
  ORDER BY jobs.priority DESC, jobs.seq
  LIMIT wanted.cap
  FOR UPDATE SKIP LOCKED
) AS picked
ORDER BY wanted.position, picked.priority DESC, picked.seq
