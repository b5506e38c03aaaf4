-- 0006_attempt_history: each job's history of ended attempts (JobAttempts as JSON text:
-- `{"attempts":[...],"dropped":n}`), appended by a nack in its own guarded UPDATE (job-nack.sql,
-- job-nack-many.sql), so a lease or an ack writes nothing more; NULL for a job no nack reached.
-- Text rather than jsonb: the driver then never parses it when a statement returns `jobs.*`. It
-- lives in the job's row, so whatever removes the row removes the history with it.
ALTER TABLE jobs ADD COLUMN attempt_log text;
