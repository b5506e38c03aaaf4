-- 0001_init: the first schema. Runs with search_path set to the store's schema (migrator.ts), so
-- names here are unqualified.
--
-- jobs: one row per job. `seq` comes from a sequence (never reused, strictly increasing in the
-- order rows are inserted). Payloads live in `data` as bytes with their `encoding` (JSON text as
-- UTF-8 for 'json'), so both kinds round-trip exactly; backoff, meta, result and error are JSON
-- text (text, not jsonb: jsonb reorders keys and refuses \u0000). Times are bigint milliseconds.
--
-- Every secondary index on jobs is PARTIAL: an index holds only the rows in the states it
-- serves, so a lease is a seek into the waiting index of one queue (O(log n) in the backlog)
-- and finished rows cost nothing to the hot indexes.

-- Names and ids sort in byte order (COLLATE "C"), so pages follow the same order whatever the
-- database's locale, and the primary key index serves the cursor scans of queueList/workerList.
CREATE TABLE queues (
  name       text COLLATE "C" PRIMARY KEY,
  paused     boolean NOT NULL DEFAULT false,
  config     text NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL
);

CREATE TABLE workers (
  id           text COLLATE "C" PRIMARY KEY,
  queues       text[] NOT NULL,
  started_at   bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  processed    bigint NOT NULL DEFAULT 0,
  failed       bigint NOT NULL DEFAULT 0
);

-- worker_tallies: one row per ack (processed) or failed attempt of a worker, appended by the ack
-- or nack itself and folded into workers.processed/failed by the worker's next lease or
-- workerSeen. Why: an UPDATE of the worker's row in every ack would hold that row's lock through
-- each commit's fsync, so the acks of one worker would commit one at a time (measured: a third
-- of the throughput); inserts take no lock anyone waits for. Lists add the unfolded rows.
CREATE TABLE worker_tallies (
  worker    text COLLATE "C" NOT NULL,
  processed integer NOT NULL,
  failed    integer NOT NULL
);

CREATE INDEX worker_tallies_worker ON worker_tallies (worker);

CREATE TABLE jobs (
  seq                bigserial PRIMARY KEY,
  id                 text NOT NULL UNIQUE,
  queue              text NOT NULL,
  name               text,
  state              text NOT NULL,
  encoding           text NOT NULL,
  data               bytea NOT NULL,
  priority           integer NOT NULL,
  attempts           integer NOT NULL DEFAULT 0,
  max_attempts       integer NOT NULL,
  nacks              integer NOT NULL DEFAULT 0,
  delayed_nacks      integer NOT NULL DEFAULT 0,
  created_at         bigint NOT NULL,
  run_at             bigint NOT NULL,
  expires_at         bigint,
  lease_ms           bigint NOT NULL,
  timeout_ms         bigint,
  backoff            text NOT NULL,
  dedup_key          text,
  dedup_until        bigint,
  meta               text NOT NULL,
  lease_token        text,
  lease_expires_at   bigint,
  attempt_started_at bigint,
  started_at         bigint,
  worker             text,
  finished_at        bigint,
  result             text,
  error              text,
  dead_reason        text,
  CHECK (state IN ('delayed', 'waiting', 'active', 'completed', 'dead')),
  CHECK ((finished_at IS NOT NULL) = (state IN ('completed', 'dead'))),
  CHECK ((lease_token IS NOT NULL) = (state = 'active'))
);

-- Lease order within one queue: priority, then ready time, then enqueue sequence. A lease reads
-- it from the start with FOR UPDATE SKIP LOCKED, one queue at a time (job-lease.sql).
CREATE INDEX jobs_waiting ON jobs (queue, priority DESC, run_at, seq) WHERE state = 'waiting';

-- Promotion in due order across queues.
CREATE INDEX jobs_delayed_due ON jobs (run_at, seq) WHERE state = 'delayed';

-- Per-queue lists and counts of delayed jobs.
CREATE INDEX jobs_delayed_queue ON jobs (queue, run_at, seq) WHERE state = 'delayed';

-- The lease-reaper's scan in deadline order. The active set is bounded by what consumers hold,
-- so per-queue and per-worker counts of active jobs read it too.
CREATE INDEX jobs_active ON jobs (lease_expires_at, seq) WHERE state = 'active';

-- The expiry-sweeper's scan; only jobs with an expiry that can still expire.
CREATE INDEX jobs_expiry ON jobs (expires_at, seq)
  WHERE expires_at IS NOT NULL AND state IN ('waiting', 'delayed', 'active');

-- Deduplication lookups on enqueue; only jobs that carry a key.
CREATE INDEX jobs_dedup ON jobs (queue, dedup_key, seq) WHERE dedup_key IS NOT NULL;

-- Retention, redrive, counts and lists of finished jobs per queue.
CREATE INDEX jobs_finished ON jobs (queue, state, finished_at, seq) WHERE state IN ('completed', 'dead');
