-- schedule-advance-many: the updates of many fires of distinct schedules in one statement, each
-- applied only while its row is at the version the fire was planned from (as schedule-advance).
-- inputs:  :fires (JSON array of [name, version, nextFireAt|null, fired, lastFireAt|null, now])
-- outputs: the schedule rows after the write, in no order; none for a fire whose version moved on
UPDATE schedules SET
  next_fire_at = f.next_fire_at,
  fires = schedules.fires + f.fired,
  last_fire_at = COALESCE(f.last_fire_at, schedules.last_fire_at),
  version = schedules.version + 1,
  updated_at = f.now
FROM (
  SELECT value ->> 0 AS name, value ->> 1 AS version, value ->> 2 AS next_fire_at, value ->> 3 AS fired,
    value ->> 4 AS last_fire_at, value ->> 5 AS now
  FROM json_each(:fires)
) AS f
WHERE schedules.name = f.name AND schedules.version = f.version
RETURNING name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at
