-- job-insert: inserts new jobs unless their id exists. job-insert.ts repeats the VALUES row to
-- insert up to INSERT_ROWS_MAX jobs with one statement.
-- inputs:  per row, positional: id, queue, name, state, encoding, data, priority, max_attempts,
--          created_at, run_at, expires_at, lease_ms, timeout_ms, backoff (JSON), dedup_key,
--          dedup_until, meta (JSON), group_key
-- outputs: changes = rows inserted; lastInsertRowid = seq of the last one
INSERT INTO jobs (
  id, queue, name, state, encoding, data, priority, max_attempts, created_at, run_at,
  expires_at, lease_ms, timeout_ms, backoff, dedup_key, dedup_until, meta, group_key
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
