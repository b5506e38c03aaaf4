-- 0002_queue_totals: lifetime counts per queue (QueueInfo.totals). `completed_total` counts
-- successful acks, `failed_total` failed attempts and reported failures; they do not shrink with
-- retention, a purge of the queue's history resets them, and they go with the queue.
--
-- queue_tallies: one row per ack (completed) or failed attempt, appended by the ack or nack
-- statement itself and folded into the queue's row by the retention cleaner's next visit to the
-- queue (job-maintenance.ts). Why: an UPDATE of the queue's row in every ack would hold that
-- row's lock through each commit's fsync, so every consumer of a queue would commit one at a
-- time (see worker_tallies in 0001_init.sql for the same reason); inserts take no lock anyone
-- waits for. Reads add the unfolded rows.
ALTER TABLE queues ADD COLUMN completed_total bigint NOT NULL DEFAULT 0;
ALTER TABLE queues ADD COLUMN failed_total bigint NOT NULL DEFAULT 0;

CREATE TABLE queue_tallies (
  queue     text COLLATE "C" NOT NULL,
  completed bigint NOT NULL,
  failed    bigint NOT NULL
);

CREATE INDEX queue_tallies_queue ON queue_tallies (queue);
