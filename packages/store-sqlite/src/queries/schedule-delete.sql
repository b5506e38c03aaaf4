-- schedule-delete: removes a schedule.
-- inputs:  :name
-- outputs: changes = 1 when it existed
DELETE FROM schedules WHERE name = :name
