-- 0009_hold_and_backlog_bytes: a job delayed after a lease holds its group (docs/state-machine.md#groups).
-- A rate-limited nack gives its lease back (`attempts` goes down by one, to 0 after a first
-- lease), so "delayed after a lease" is now `attempts > 0 OR delayed_nacks > 0`: a delayed job
-- reaches `delayed` either from `new` (no nack yet) or from `active`. The trigger function of
-- 0008 is replaced with that test, and the update trigger also fires on `delayed_nacks`; no row
-- changes, since no job was given back before.
CREATE OR REPLACE FUNCTION job_groups_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.group_key IS NOT NULL
     AND (OLD.state = 'waiting' OR OLD.state = 'active'
          OR (OLD.state = 'delayed' AND (OLD.attempts > 0 OR OLD.delayed_nacks > 0))) THEN
    UPDATE job_groups
    SET waiting = waiting - (OLD.state = 'waiting')::integer,
        held = held - (OLD.state <> 'waiting')::integer
    WHERE queue = OLD.queue AND group_key = OLD.group_key;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.group_key IS NOT NULL
     AND (NEW.state = 'waiting' OR NEW.state = 'active'
          OR (NEW.state = 'delayed' AND (NEW.attempts > 0 OR NEW.delayed_nacks > 0))) THEN
    PERFORM job_groups_add(NEW.queue, NEW.group_key, (NEW.state = 'waiting')::integer,
                           (NEW.state <> 'waiting')::integer);
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER jobs_group_update ON jobs;
CREATE TRIGGER jobs_group_update AFTER UPDATE OF state, attempts, delayed_nacks, group_key ON jobs
FOR EACH ROW WHEN (OLD.group_key IS NOT NULL OR NEW.group_key IS NOT NULL) EXECUTE FUNCTION job_groups_count();

-- `maxBytes` (docs/state-machine.md#flow-control): `queues.backlog_bytes` is the queue's running
-- total of the stored payload bytes (`octet_length(data)`: the JSON text, or the raw bytes) of
-- its waiting and delayed jobs, kept only while the queue has `maxBytes` (NULL otherwise). A job
-- of such a queue carries `bytes_counted` (set by job-insert.sql from its queue, and on the
-- configure that sets `maxBytes`, which then sums the backlog once). Moves write deltas, not the
-- queue row: every move of a counted job into or out of waiting/delayed (enqueue, lease, nack,
-- reap, expiry, cancel, redrive, retry, purge, delete, retention) appends its delta to
-- `queue_byte_deltas`, so leases and nacks never wait for the queue's row lock; an enqueue on the
-- bounded path, holding that lock, folds the queue's committed deltas into `backlog_bytes` and
-- compares. The row triggers' WHEN test reads `bytes_counted`, so a job of a queue without
-- `maxBytes` runs no trigger function; an insert statement runs one statement-level call.
ALTER TABLE queues ADD COLUMN backlog_bytes bigint;
ALTER TABLE jobs ADD COLUMN bytes_counted boolean NOT NULL DEFAULT false;

CREATE TABLE queue_byte_deltas (
  queue text NOT NULL,
  delta bigint NOT NULL
);
CREATE INDEX queue_byte_deltas_queue ON queue_byte_deltas (queue);

CREATE FUNCTION jobs_bytes_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO queue_byte_deltas (queue, delta)
  SELECT added.queue, sum(octet_length(added.data))
  FROM added JOIN queues ON queues.name = added.queue AND queues.backlog_bytes IS NOT NULL
  WHERE added.bytes_counted AND (added.state = 'waiting' OR added.state = 'delayed')
  GROUP BY added.queue;
  RETURN NULL;
END
$$;

CREATE FUNCTION jobs_bytes_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  q text;
  d bigint := 0;
BEGIN
  IF TG_OP <> 'INSERT' AND (OLD.state = 'waiting' OR OLD.state = 'delayed') THEN
    q := OLD.queue;
    d := d - octet_length(OLD.data);
  END IF;
  IF TG_OP <> 'DELETE' AND (NEW.state = 'waiting' OR NEW.state = 'delayed') THEN
    q := NEW.queue;
    d := d + octet_length(NEW.data);
  END IF;
  IF d <> 0 THEN
    INSERT INTO queue_byte_deltas (queue, delta)
    SELECT q, d FROM queues WHERE name = q AND backlog_bytes IS NOT NULL;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER jobs_bytes_insert AFTER INSERT ON jobs
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION jobs_bytes_inserted();

CREATE TRIGGER jobs_bytes_update AFTER UPDATE OF state ON jobs
FOR EACH ROW WHEN (NEW.bytes_counted AND (OLD.state IN ('waiting', 'delayed')) <> (NEW.state IN ('waiting', 'delayed')))
EXECUTE FUNCTION jobs_bytes_moved();

CREATE TRIGGER jobs_bytes_delete AFTER DELETE ON jobs
FOR EACH ROW WHEN (OLD.bytes_counted AND OLD.state IN ('waiting', 'delayed'))
EXECUTE FUNCTION jobs_bytes_moved();
