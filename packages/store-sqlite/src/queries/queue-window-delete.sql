-- queue-window-delete: forgets a deleted queue's rate window, so a queue made again under the
-- same name starts with an empty window.
-- inputs:  :queue
-- outputs: changes (0 or 1)
DELETE FROM queue_windows WHERE queue = :queue
