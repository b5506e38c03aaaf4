-- 0008_job_groups: groups (docs/state-machine.md#groups). `jobs.group_key` is the job's group
-- (NULL: none; '' is the ungrouped lane of a queue with group settings). `job_groups` is the
-- ring a lease of a grouped queue walks, under the queue's row lock: one row per (queue, group)
-- that has had jobs, with its `turn` (ring order: a group served goes to the back, at MAX(turn)
-- + 1), its `waiting` jobs and its `held` jobs (active, or delayed after a lease: attempts > 0),
-- and with `groupRateLimit` its current rate window (`rate_start`, `rate_used`, as the queue's).
-- The counts are kept by row triggers, so every statement that moves a grouped job keeps them
-- exact; a job without a group costs only the triggers' WHEN test.
ALTER TABLE jobs ADD COLUMN group_key text;

-- A group's next jobs in group order (priority, then enqueue order).
CREATE INDEX jobs_group_waiting ON jobs (queue, group_key, priority DESC, seq)
  WHERE state = 'waiting' AND group_key IS NOT NULL;

CREATE TABLE job_groups (
  queue     text NOT NULL,
  group_key text NOT NULL,
  turn      bigint NOT NULL,
  waiting   integer NOT NULL,
  held      integer NOT NULL,
  rate_start bigint,
  rate_used integer NOT NULL DEFAULT 0,
  PRIMARY KEY (queue, group_key)
);

-- The ring: groups with waiting jobs, by turn. And every group by turn, for max(turn).
CREATE INDEX job_groups_ring ON job_groups (queue, turn) WHERE waiting > 0;
CREATE INDEX job_groups_turn ON job_groups (queue, turn);

-- Adds a job's part (waiting or held) to its group, creating the group at the back of the ring.
CREATE FUNCTION job_groups_add(q text, g text, w integer, h integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO job_groups (queue, group_key, turn, waiting, held)
  VALUES (q, g, (SELECT COALESCE(max(turn), 0) + 1 FROM job_groups WHERE queue = q), w, h)
  ON CONFLICT (queue, group_key) DO UPDATE
  SET waiting = job_groups.waiting + excluded.waiting, held = job_groups.held + excluded.held
$$;

CREATE FUNCTION job_groups_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.group_key IS NOT NULL
     AND (OLD.state = 'waiting' OR OLD.state = 'active' OR (OLD.state = 'delayed' AND OLD.attempts > 0)) THEN
    UPDATE job_groups
    SET waiting = waiting - (OLD.state = 'waiting')::integer,
        held = held - (OLD.state <> 'waiting')::integer
    WHERE queue = OLD.queue AND group_key = OLD.group_key;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.group_key IS NOT NULL
     AND (NEW.state = 'waiting' OR NEW.state = 'active' OR (NEW.state = 'delayed' AND NEW.attempts > 0)) THEN
    PERFORM job_groups_add(NEW.queue, NEW.group_key, (NEW.state = 'waiting')::integer,
                           (NEW.state <> 'waiting')::integer);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER jobs_group_insert AFTER INSERT ON jobs
FOR EACH ROW WHEN (NEW.group_key IS NOT NULL) EXECUTE FUNCTION job_groups_count();

CREATE TRIGGER jobs_group_update AFTER UPDATE OF state, attempts, group_key ON jobs
FOR EACH ROW WHEN (OLD.group_key IS NOT NULL OR NEW.group_key IS NOT NULL) EXECUTE FUNCTION job_groups_count();

CREATE TRIGGER jobs_group_delete AFTER DELETE ON jobs
FOR EACH ROW WHEN (OLD.group_key IS NOT NULL) EXECUTE FUNCTION job_groups_count();

-- A queue with group settings takes the locked lease path too: the one-statement lease skips it.
ALTER TABLE queues DROP COLUMN limited;
ALTER TABLE queues ADD COLUMN limited boolean
  GENERATED ALWAYS AS (
    config LIKE '%"concurrency"%' OR config LIKE '%"rateLimit"%' OR config LIKE '%"groupConcurrency"%'
    OR config LIKE '%"groupRateLimit"%'
  ) STORED;
