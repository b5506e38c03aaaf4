-- job-get-attempts: a job's attempt history (JobAttempts as JSON text), read by a nack to append
-- to it and by jobAttempts.
-- inputs:  :id
-- outputs: one row { attempt_log } (NULL: no history yet), or no row when the job does not exist
SELECT attempt_log FROM jobs WHERE id = :id
