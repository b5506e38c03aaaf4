-- job-lock-for-bytes: takes the jobs table in SHARE ROW EXCLUSIVE mode for the rest of the
-- transaction: waits for every job write in flight and holds new ones back (and other such
-- configures), so a configure that starts a queue's byte total (job-bytes-count.sql,
-- queue-backlog-bytes-track.sql) marks and sums a backlog no concurrent write can miss. Taken
-- before the queue's row lock (see queue-lock-flow.sql); only on the configure that sets
-- `maxBytes` on a queue without it.
-- inputs:  (none)
-- outputs: none
LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE
