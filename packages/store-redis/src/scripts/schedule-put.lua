#!lua
-- schedule-put: creates a schedule or replaces its spec, paused and next fire; a replaced one
-- keeps its fires, last fire and creation time, and its version grows by one.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  name   ARGV[2]  spec (JSON)   ARGV[3]  paused ('0'/'1')   ARGV[4]  nextFireAt (opt int)
-- ARGV[5]  now
-- Returns  the schedule (schedule_reply)
-- @include keys
-- @include codec
-- @include schedules

local name, next_fire = ARGV[1], opt_int(ARGV[4])
local key = schedule_key(name)
if redis.call('EXISTS', key) == 1 then
  redis.call('HSET', key, 'spec', ARGV[2], 'paused', ARGV[3], 'updatedAt', ARGV[5])
  redis.call('HINCRBY', key, 'version', 1)
else
  redis.call('HSET', key, 'spec', ARGV[2], 'paused', ARGV[3], 'fires', '0', 'version', '1', 'createdAt', ARGV[5], 'updatedAt', ARGV[5])
  redis.call('ZADD', SCHEDULES, 0, name)
end
if next_fire then redis.call('HSET', key, 'nextFireAt', int(next_fire)) else redis.call('HDEL', key, 'nextFireAt') end
index_schedule(name)
return schedule_reply(name)
