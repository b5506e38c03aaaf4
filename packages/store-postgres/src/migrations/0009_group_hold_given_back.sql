-- 0009_group_hold_given_back: a job delayed after a lease holds its group (docs/state-machine.md#groups).
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
