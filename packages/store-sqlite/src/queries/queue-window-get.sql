-- queue-window-get: the rate window a queue last leased in.
-- inputs:  :queue
-- outputs: start, used; or no row
SELECT start, used FROM queue_windows WHERE queue = :queue
