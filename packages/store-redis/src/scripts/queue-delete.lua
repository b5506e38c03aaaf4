#!lua
-- queue-delete: deletes a queue, all its jobs, its dedup map and its ring of groups.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  queue
-- Returns  1 when the queue existed, else 0
-- @include keys
-- @include codec
-- @include jobs
-- @include purge

local queue = ARGV[1]
purge_index(queue, 'all')
redis.call('DEL', qkey(queue, 'dedup'))
-- Every group ever seen has a turn; their indexes are empty now, the ring and turns go.
for _, group in ipairs(redis.call('HKEYS', qkey(queue, 'gturn'))) do
  redis.call('DEL', group_key(queue, 'gw', group), group_key(queue, 'gh', group))
end
redis.call('DEL', qkey(queue, 'groups'), qkey(queue, 'gturn'), qkey(queue, 'grate'))
redis.call('ZREM', QUEUES, queue)
return redis.call('DEL', queue_key(queue))
