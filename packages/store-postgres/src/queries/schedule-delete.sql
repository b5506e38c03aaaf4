-- schedule-delete: removes a schedule.
-- inputs:  :name
-- outputs: rowCount 1 when it existed
DELETE FROM schedules WHERE name = :name::text
