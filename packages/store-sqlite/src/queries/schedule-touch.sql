-- schedule-touch: a trigger's update of its schedule (ticks and fires untouched).
-- inputs:  :name :lastFireAt :now
-- outputs: the schedule row after the write, or none when it does not exist
UPDATE schedules SET
  last_fire_at = :lastFireAt,
  version = version + 1,
  updated_at = :now
WHERE name = :name
RETURNING name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at
