-- 0005_attempt_history: each job's history of ended attempts (JobAttempts as JSON text:
-- `{"attempts":[...],"dropped":n}`), written by a nack only (job-give-back.sql), so a lease or an
-- ack writes nothing more; NULL for a job no nack reached. It lives in the job's row, so whatever
-- removes the row (delete, purge, retention, queue deletion) removes the history with it.
ALTER TABLE jobs ADD COLUMN attempt_log TEXT;
