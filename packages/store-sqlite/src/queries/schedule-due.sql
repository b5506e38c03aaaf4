-- schedule-due: schedules not paused whose next fire is due, earliest first (schedules_due).
-- inputs:  :now :limit
-- outputs: schedule rows by (next_fire_at, name)
SELECT name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at FROM schedules
WHERE paused = 0 AND next_fire_at IS NOT NULL AND next_fire_at <= :now
ORDER BY next_fire_at, name
LIMIT CAST(:limit AS INTEGER)
