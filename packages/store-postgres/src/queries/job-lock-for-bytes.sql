-- job-lock-for-bytes: takes the jobs table in SHARE mode for the rest of the transaction: waits
-- for every job write in flight and holds new ones back, so a configure that starts a queue's
-- byte total (queue-backlog-bytes-track) sums a backlog no concurrent write can miss. Only on the
-- configure that sets `maxBytes` on a queue without it.
-- inputs:  (none)
-- outputs: none
LOCK TABLE jobs IN SHARE MODE
