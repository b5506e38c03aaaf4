-- job-group-heads-one: the first waiting job of each given group in group order, skipping
-- expired ones: one seek of the jobs_group_waiting index per group, all in one statement (a
-- lease that found enough groups takes one job from each).
-- inputs:  :queue :groups (JSON array of group keys) :now
-- outputs: job rows, in the order of :groups (a group with no leasable job gives none)
SELECT jobs.* FROM json_each(:groups) AS wanted
JOIN jobs ON jobs.seq = (
  SELECT head.seq FROM jobs AS head
  WHERE head.state = 'waiting' AND head.group_key IS NOT NULL
    AND head.queue = :queue AND head.group_key = wanted.value
    AND (head.expires_at IS NULL OR head.expires_at > :now)
  ORDER BY head.priority DESC, head.seq
  LIMIT 1
)
ORDER BY wanted.key
