#!lua
-- job-expire-due: waiting, delayed and active jobs whose expiresAt <= now become dead (`expired`),
-- earliest expiry first, at most `limit`. Reads the deployment-wide `expiry` index.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'   ARGV[3]  limit
-- Returns  the expired jobs' fields, in (expiresAt, seq) order
-- @include keys
-- @include codec
-- @include clock
-- @include jobs

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local due = redis.call('ZRANGEBYLEX', EXPIRY, '-', '(' .. hex_time(NOW + 1), 'LIMIT', 0, tonumber(ARGV[3]))
local expired = {}
for _, member in ipairs(due) do
  local job = load_job(member_id(member, SORT_KEY_TIME))
  kill(job, 'expired', NOW)
  expired[#expired + 1] = job_reply(job)
end
return expired
