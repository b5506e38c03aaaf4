#!lua flags=no-writes
-- queue-list: queues by name after a cursor.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  after: the last name of the previous page (opt text)   ARGV[2]  count to read
-- Returns  per queue: name, then its fields
-- @include keys
-- @include codec
-- @include queues

local after = opt_text(ARGV[1])
local from = '-'
if after then from = '(' .. after end
local queues = {}
for _, name in ipairs(redis.call('ZRANGEBYLEX', QUEUES, from, '+', 'LIMIT', 0, tonumber(ARGV[2]))) do
  queues[#queues + 1] = queue_reply(name)
end
return queues
