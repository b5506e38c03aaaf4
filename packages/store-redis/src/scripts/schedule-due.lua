#!lua
-- schedule-due: schedules not paused whose next fire is due, earliest first (ties by name), and
-- the earliest next fire after now.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now   ARGV[2]  limit
-- Returns  { nextAt ('' when none), { schedule_reply, ... } }
-- @include keys
-- @include schedules

local now = tonumber(ARGV[1])
local names = redis.call('ZRANGEBYSCORE', SCHEDULE_DUE, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local due = {}
for i, name in ipairs(names) do due[i] = schedule_reply(name) end
local after = redis.call('ZRANGEBYSCORE', SCHEDULE_DUE, '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return { after[2] or '', due }
