-- schedule-put: creates a schedule or replaces its spec, paused and next fire; a replaced one
-- keeps its fires, last fire and creation time, and its version grows by one.
-- inputs:  :name :spec (JSON text) :paused :nextFireAt (opt) :now
-- outputs: the schedule row after the write
INSERT INTO schedules (name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at)
VALUES (:name::text, :spec::text, :paused::boolean, :nextFireAt::bigint, NULL, 0, 1, :now::bigint, :now::bigint)
ON CONFLICT (name) DO UPDATE SET
  spec = excluded.spec,
  paused = excluded.paused,
  next_fire_at = excluded.next_fire_at,
  version = schedules.version + 1,
  updated_at = excluded.updated_at
RETURNING name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at
