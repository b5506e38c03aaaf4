#!lua
-- schedule-list: schedules by name after a cursor.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  after (a name; '' for the first page)   ARGV[2]  how many
-- Returns  schedules (schedule_reply each), by name
-- @include keys
-- @include schedules

local from = ARGV[1] == '' and '-' or ('(' .. ARGV[1])
local names = redis.call('ZRANGEBYLEX', SCHEDULES, from, '+', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i, name in ipairs(names) do out[i] = schedule_reply(name) end
return out
