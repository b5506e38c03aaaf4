-- schedule-advance: a fire's update of its schedule, only while the row is at the version the
-- fire was planned from.
-- inputs:  :name :version :nextFireAt (opt) :fired :lastFireAt (opt: null keeps it) :now
-- outputs: the schedule row after the write, or none when the version moved on
UPDATE schedules SET
  next_fire_at = :nextFireAt,
  fires = fires + :fired,
  last_fire_at = COALESCE(:lastFireAt, last_fire_at),
  version = version + 1,
  updated_at = :now
WHERE name = :name AND version = :version
RETURNING name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at
