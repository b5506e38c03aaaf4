-- job-group-top-turn: the last turn given in a queue's ring (the job_groups_turn index's end).
-- inputs:  :queue
-- outputs: top (0 for a queue without groups)
SELECT COALESCE(MAX(turn), 0) AS top FROM job_groups WHERE queue = :queue
