#!lua
-- queue-delete: deletes a queue, all its jobs and its dedup map.
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
redis.call('ZREM', QUEUES, queue)
return redis.call('DEL', queue_key(queue))
