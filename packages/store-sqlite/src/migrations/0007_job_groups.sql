-- 0007_job_groups: groups (docs/state-machine.md#groups). `jobs.group_key` is the job's group
-- (NULL: none; '' is the ungrouped lane of a queue with group settings). `job_groups` is the
-- ring a lease of a grouped queue walks: one row per (queue, group) that has had jobs, with its
-- `turn` (the ring order: a group served goes to the back, at MAX(turn) + 1), its `waiting`
-- jobs and its `held` jobs (active, or delayed after a lease: attempts > 0). The counts are kept
-- by triggers, so every path that moves a grouped job (enqueue, lease, ack, nack, reap, expiry,
-- promotion, redrive, cancel, delete, purge) keeps them exact; a job without a group costs only
-- the triggers' WHEN test.
ALTER TABLE jobs ADD COLUMN group_key TEXT;

-- A group's next jobs in group order (priority, then enqueue order).
CREATE INDEX jobs_group_waiting ON jobs (queue, group_key, priority DESC, seq)
  WHERE state = 'waiting' AND group_key IS NOT NULL;

CREATE TABLE job_groups (
  queue     TEXT NOT NULL,
  group_key TEXT NOT NULL,
  turn      INTEGER NOT NULL,
  waiting   INTEGER NOT NULL,
  held      INTEGER NOT NULL,
  rate_start INTEGER,
  rate_used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (queue, group_key)
) WITHOUT ROWID;

-- The ring: groups with waiting jobs, by turn. And every group by turn, for MAX(turn).
CREATE INDEX job_groups_ring ON job_groups (queue, turn) WHERE waiting > 0;
CREATE INDEX job_groups_turn ON job_groups (queue, turn);

CREATE TRIGGER jobs_group_insert AFTER INSERT ON jobs
WHEN NEW.group_key IS NOT NULL
BEGIN
  INSERT INTO job_groups (queue, group_key, turn, waiting, held)
  VALUES (
    NEW.queue, NEW.group_key,
    (SELECT COALESCE(MAX(turn), 0) + 1 FROM job_groups WHERE queue = NEW.queue),
    NEW.state = 'waiting', 0
  )
  ON CONFLICT (queue, group_key) DO UPDATE SET waiting = waiting + excluded.waiting;
END;

CREATE TRIGGER jobs_group_leave AFTER UPDATE OF state, attempts, group_key ON jobs
WHEN OLD.group_key IS NOT NULL
  AND (OLD.state = 'waiting' OR OLD.state = 'active' OR (OLD.state = 'delayed' AND OLD.attempts > 0))
BEGIN
  UPDATE job_groups
  SET waiting = waiting - (OLD.state = 'waiting'),
      held = held - (OLD.state = 'active' OR (OLD.state = 'delayed' AND OLD.attempts > 0))
  WHERE queue = OLD.queue AND group_key = OLD.group_key;
END;

CREATE TRIGGER jobs_group_enter AFTER UPDATE OF state, attempts, group_key ON jobs
WHEN NEW.group_key IS NOT NULL
  AND (NEW.state = 'waiting' OR NEW.state = 'active' OR (NEW.state = 'delayed' AND NEW.attempts > 0))
BEGIN
  INSERT INTO job_groups (queue, group_key, turn, waiting, held)
  VALUES (
    NEW.queue, NEW.group_key,
    (SELECT COALESCE(MAX(turn), 0) + 1 FROM job_groups WHERE queue = NEW.queue),
    NEW.state = 'waiting', NEW.state = 'active' OR (NEW.state = 'delayed' AND NEW.attempts > 0)
  )
  ON CONFLICT (queue, group_key) DO UPDATE
  SET waiting = waiting + excluded.waiting, held = held + excluded.held;
END;

CREATE TRIGGER jobs_group_delete AFTER DELETE ON jobs
WHEN OLD.group_key IS NOT NULL
  AND (OLD.state = 'waiting' OR OLD.state = 'active' OR (OLD.state = 'delayed' AND OLD.attempts > 0))
BEGIN
  UPDATE job_groups
  SET waiting = waiting - (OLD.state = 'waiting'),
      held = held - (OLD.state = 'active' OR (OLD.state = 'delayed' AND OLD.attempts > 0))
  WHERE queue = OLD.queue AND group_key = OLD.group_key;
END;
