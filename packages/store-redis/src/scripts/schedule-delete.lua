#!lua
-- schedule-delete: removes a schedule (the jobs it enqueued stay).
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  name
-- Returns  1 when it existed, else 0
-- @include keys
-- @include schedules

redis.call('ZREM', SCHEDULES, ARGV[1])
redis.call('ZREM', SCHEDULE_DUE, ARGV[1])
return redis.call('DEL', schedule_key(ARGV[1]))
