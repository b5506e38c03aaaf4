#!lua flags=no-writes
-- queue-stats: the number of jobs of a queue in each state, one ZCARD per state index.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  queue
-- Returns  { delayed, waiting, active, completed, dead }
-- @include keys

local queue = ARGV[1]
local counts = {}
for i, state in ipairs({ 'delayed', 'waiting', 'active', 'completed', 'dead' }) do
  counts[i] = redis.call('ZCARD', qkey(queue, state))
end
return counts
