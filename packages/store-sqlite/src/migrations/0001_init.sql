-- 0001_init: the first schema.
--
-- jobs: one row per job. `seq` is the rowid and the enqueue sequence (AUTOINCREMENT so a deleted
-- newest job never gives its seq to the next one: seq stays strictly increasing per store).
-- Payload bytes live in `data` with their `encoding`; backoff, meta, result and error are JSON text.
--
-- The column order of jobs is the order row-mapping.ts reads rows in (JOB_COLUMNS); later
-- migrations add columns at the end.
--
-- Every secondary index is PARTIAL: an index holds only the rows in the states it serves, so
-- enqueueing a waiting job touches the table, the id index and the waiting index only, and a
-- lease is a seek into the waiting index of one queue (O(log n) in the number of waiting jobs).

CREATE TABLE queues (
  name       TEXT PRIMARY KEY,
  paused     INTEGER NOT NULL DEFAULT 0,
  config     TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);

CREATE TABLE workers (
  id           TEXT PRIMARY KEY,
  queues       TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  processed    INTEGER NOT NULL DEFAULT 0,
  failed       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE jobs (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  id                 TEXT NOT NULL UNIQUE,
  queue              TEXT NOT NULL,
  name               TEXT,
  state              TEXT NOT NULL,
  encoding           TEXT NOT NULL,
  data               BLOB NOT NULL,
  priority           INTEGER NOT NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  max_attempts       INTEGER NOT NULL,
  nacks              INTEGER NOT NULL DEFAULT 0,
  delayed_nacks      INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  run_at             INTEGER NOT NULL,
  expires_at         INTEGER,
  lease_ms           INTEGER NOT NULL,
  timeout_ms         INTEGER,
  backoff            TEXT NOT NULL,
  dedup_key          TEXT,
  dedup_until        INTEGER,
  meta               TEXT NOT NULL,
  lease_token        TEXT,
  lease_expires_at   INTEGER,
  attempt_started_at INTEGER,
  started_at         INTEGER,
  worker             TEXT,
  finished_at        INTEGER,
  result             TEXT,
  error              TEXT,
  dead_reason        TEXT,
  -- Written with OR, not IN: SQLite builds a temporary table for every IN list it evaluates,
  -- which made these checks cost a third of each insert and update.
  CHECK (state = 'delayed' OR state = 'waiting' OR state = 'active' OR state = 'completed' OR state = 'dead'),
  CHECK ((finished_at IS NOT NULL) = (state = 'completed' OR state = 'dead'))
);

-- Lease order within one queue: priority, then ready time, then enqueue sequence.
CREATE INDEX jobs_waiting ON jobs (queue, priority DESC, run_at, seq) WHERE state = 'waiting';

-- Promotion in due order; `queue` trails so per-queue counts and lists read the index alone.
CREATE INDEX jobs_delayed ON jobs (run_at, queue) WHERE state = 'delayed';

-- The lease-reaper's scan in deadline order; `queue` trails for per-queue counts.
CREATE INDEX jobs_active ON jobs (lease_expires_at, queue) WHERE state = 'active';

-- The expiry-sweeper's scan; only jobs with an expiry that can still expire.
CREATE INDEX jobs_expiry ON jobs (expires_at)
  WHERE expires_at IS NOT NULL AND (state = 'waiting' OR state = 'delayed' OR state = 'active');

-- Deduplication lookups on enqueue; only jobs that carry a key.
CREATE INDEX jobs_dedup ON jobs (queue, dedup_key) WHERE dedup_key IS NOT NULL;

-- Retention, redrive, counts and lists of finished jobs per queue. The predicate is
-- `finished_at IS NOT NULL` (the same rows as state IN ('completed', 'dead'), by the CHECK on
-- jobs) because SQLite would read a `state IN (...)` predicate as two index ranges and lose the
-- finished_at order that retention and redrive need.
CREATE INDEX jobs_finished ON jobs (queue, state, finished_at) WHERE finished_at IS NOT NULL;
