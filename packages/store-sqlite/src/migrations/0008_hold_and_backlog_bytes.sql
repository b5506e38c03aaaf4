-- 0008_hold_and_backlog_bytes: a job delayed after a lease holds its group (docs/state-machine.md#groups).
-- A rate-limited nack gives its lease back (`attempts` goes down by one, to 0 after a first
-- lease), so "delayed after a lease" is now `attempts > 0 OR delayed_nacks > 0`: a delayed job
-- reaches `delayed` either from `new` (no nack yet) or from `active`. The group triggers of 0007
-- are made again with that test; no row changes, since no job was given back before.
DROP TRIGGER jobs_group_leave;
DROP TRIGGER jobs_group_enter;
DROP TRIGGER jobs_group_delete;

CREATE TRIGGER jobs_group_leave AFTER UPDATE OF state, attempts, delayed_nacks, group_key ON jobs
WHEN OLD.group_key IS NOT NULL
  AND (OLD.state = 'waiting' OR OLD.state = 'active'
       OR (OLD.state = 'delayed' AND (OLD.attempts > 0 OR OLD.delayed_nacks > 0)))
BEGIN
  UPDATE job_groups
  SET waiting = waiting - (OLD.state = 'waiting'),
      held = held - (OLD.state <> 'waiting')
  WHERE queue = OLD.queue AND group_key = OLD.group_key;
END;

CREATE TRIGGER jobs_group_enter AFTER UPDATE OF state, attempts, delayed_nacks, group_key ON jobs
WHEN NEW.group_key IS NOT NULL
  AND (NEW.state = 'waiting' OR NEW.state = 'active'
       OR (NEW.state = 'delayed' AND (NEW.attempts > 0 OR NEW.delayed_nacks > 0)))
BEGIN
  UPDATE job_groups
  SET waiting = waiting + (NEW.state = 'waiting'), held = held + (NEW.state <> 'waiting')
  WHERE queue = NEW.queue AND group_key = NEW.group_key;
  INSERT INTO job_groups (queue, group_key, turn, waiting, held)
  SELECT NEW.queue, NEW.group_key,
         (SELECT COALESCE(MAX(turn), 0) + 1 FROM job_groups WHERE queue = NEW.queue),
         NEW.state = 'waiting', NEW.state <> 'waiting'
  WHERE NOT EXISTS (SELECT 1 FROM job_groups WHERE queue = NEW.queue AND group_key = NEW.group_key);
END;

CREATE TRIGGER jobs_group_delete AFTER DELETE ON jobs
WHEN OLD.group_key IS NOT NULL
  AND (OLD.state = 'waiting' OR OLD.state = 'active'
       OR (OLD.state = 'delayed' AND (OLD.attempts > 0 OR OLD.delayed_nacks > 0)))
BEGIN
  UPDATE job_groups
  SET waiting = waiting - (OLD.state = 'waiting'),
      held = held - (OLD.state <> 'waiting')
  WHERE queue = OLD.queue AND group_key = OLD.group_key;
END;

-- `maxBytes` (docs/state-machine.md#flow-control): `queues.backlog_bytes` is the running total of
-- the stored payload bytes (`length(CAST(data AS BLOB))`: the JSON text, or the raw bytes) of the
-- queue's waiting and delayed jobs, kept only while the queue has `maxBytes` (NULL otherwise; the
-- configure that sets it sums the backlog once). The triggers keep it on every move into or out
-- of waiting/delayed (enqueue, lease, nack, reap, expiry, cancel, redrive, retry, purge, delete,
-- retention); a queue without `maxBytes` pays one primary-key look-up that writes nothing.
ALTER TABLE queues ADD COLUMN backlog_bytes INTEGER;

CREATE TRIGGER jobs_bytes_insert AFTER INSERT ON jobs
WHEN NEW.state = 'waiting' OR NEW.state = 'delayed'
BEGIN
  UPDATE queues SET backlog_bytes = backlog_bytes + length(CAST(NEW.data AS BLOB))
  WHERE name = NEW.queue AND backlog_bytes IS NOT NULL;
END;

CREATE TRIGGER jobs_bytes_update AFTER UPDATE OF state ON jobs
WHEN (OLD.state = 'waiting' OR OLD.state = 'delayed') <> (NEW.state = 'waiting' OR NEW.state = 'delayed')
BEGIN
  UPDATE queues
  SET backlog_bytes = backlog_bytes
      + (CASE WHEN NEW.state = 'waiting' OR NEW.state = 'delayed' THEN 1 ELSE -1 END) * length(CAST(NEW.data AS BLOB))
  WHERE name = NEW.queue AND backlog_bytes IS NOT NULL;
END;

CREATE TRIGGER jobs_bytes_delete AFTER DELETE ON jobs
WHEN OLD.state = 'waiting' OR OLD.state = 'delayed'
BEGIN
  UPDATE queues SET backlog_bytes = backlog_bytes - length(CAST(OLD.data AS BLOB))
  WHERE name = OLD.queue AND backlog_bytes IS NOT NULL;
END;
