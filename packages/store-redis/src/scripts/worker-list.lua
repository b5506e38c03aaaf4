#!lua flags=no-writes
-- worker-list: workers by id after a cursor, each with the number of jobs it holds active now.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  after: the last id of the previous page (opt text)   ARGV[2]  count to read
-- Returns  per worker { id, active count, worker fields }
-- @include keys
-- @include codec

local after = opt_text(ARGV[1])
local from = '-'
if after then from = '(' .. after end
local workers = {}
for _, id in ipairs(redis.call('ZRANGEBYLEX', WORKERS, from, '+', 'LIMIT', 0, tonumber(ARGV[2]))) do
  workers[#workers + 1] = { id, redis.call('SCARD', worker_active_key(id)), redis.call('HGETALL', worker_key(id)) }
end
return workers
