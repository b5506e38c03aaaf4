-- schedule-get: one schedule by name.
-- inputs:  :name
-- outputs: a schedule row, or none
SELECT name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at FROM schedules
WHERE name = :name
