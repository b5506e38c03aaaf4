-- queue-window-set: records the leases granted in a queue's current rate window.
-- inputs:  :queue :start :used
-- outputs: changes (1)
INSERT INTO queue_windows (queue, start, used) VALUES (:queue, :start, :used)
ON CONFLICT (queue) DO UPDATE SET start = excluded.start, used = excluded.used
