-- schedule-list: schedules by name after a cursor.
-- inputs:  :after (a name; '' for the first page) :limit
-- outputs: schedule rows by name
SELECT name, spec, paused, next_fire_at, last_fire_at, fires, version, created_at, updated_at FROM schedules
WHERE name > :after
ORDER BY name
LIMIT CAST(:limit AS INTEGER)
