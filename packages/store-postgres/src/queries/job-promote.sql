-- job-promote: one delayed job becomes waiting now (an operator's promote); run_at becomes now.
-- The state guard makes a promote racing the delay-promoter or a cancel have one winner.
-- inputs:  :id :now
-- outputs: the promoted job row, or no row (missing or not delayed)
UPDATE jobs
SET state = 'waiting',
    run_at = :now
WHERE id = :id AND state = 'delayed'
RETURNING *
