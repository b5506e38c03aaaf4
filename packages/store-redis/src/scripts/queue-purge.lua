#!lua
-- queue-purge: deletes the jobs of a queue in the given states, or in every state, with their index
-- entries, and resets the queue's totals when asked (purgeResetsTotals in core decides). Runs in
-- one script (the port has no limit here), so it blocks Redis for the time it takes: about a
-- microsecond or two per job.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  queue   ARGV[2]  reset totals: '1' or '0'
-- ARGV[3]  state count s (0 for every state), then s states
-- Returns  the number of jobs deleted
-- @include keys
-- @include codec
-- @include jobs
-- @include purge

local queue = ARGV[1]
if ARGV[2] == '1' then redis.call('HDEL', queue_key(queue), 'completedTotal', 'failedTotal') end
local state_count = tonumber(ARGV[3])
if state_count == 0 then return purge_index(queue, 'all') end
local deleted = 0
for i = 1, state_count do deleted = deleted + purge_index(queue, ARGV[3 + i]) end
return deleted
