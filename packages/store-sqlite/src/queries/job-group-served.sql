-- job-group-served: a group a lease served goes to the back of its queue's ring: group-lease.ts
-- runs it once per group, in serving order, the n-th with turn :top + n (:top from
-- job-group-top-turn). One primary-key seek each: an UPDATE that looked the groups up in a JSON
-- array scanned the whole array per row (n² for n groups, about 7.5 µs per group at n = 50,
-- against 4.6 µs here, most of it moving the row in the turn indexes).
-- inputs:  :queue :group :turn
-- outputs: changes
UPDATE job_groups SET turn = :turn WHERE queue = :queue AND group_key = :group
