-- 0002_queue_totals: lifetime counts per queue (QueueInfo.totals). `completed_total` counts
-- successful acks, `failed_total` failed attempts and reported failures. They do not shrink with
-- retention; a purge of the queue's history resets them (queue-reset-totals.sql) and they go
-- with the queue's row. Acks and nacks add to them once per queue per group commit
-- (queue-totals.ts), not once per job.

ALTER TABLE queues ADD COLUMN completed_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queues ADD COLUMN failed_total INTEGER NOT NULL DEFAULT 0;
