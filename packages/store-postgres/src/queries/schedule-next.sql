-- schedule-next: the earliest next fire after now of the schedules not paused (schedules_due).
-- inputs:  :now
-- outputs: one row { at } (null when none)
SELECT MIN(next_fire_at) AS at FROM schedules
WHERE NOT paused AND next_fire_at IS NOT NULL AND next_fire_at > :now::bigint
