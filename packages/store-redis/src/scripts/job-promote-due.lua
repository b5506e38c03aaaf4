#!lua
-- job-promote-due: delayed jobs whose runAt <= now become waiting, in due order (runAt, seq), at
-- most `limit`; runAt stays their ready time. Reads the deployment-wide `delayed` index.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'   ARGV[3]  limit
-- Returns  the promoted jobs' fields, in due order
-- @include keys
-- @include codec
-- @include clock
-- @include jobs

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local due = redis.call('ZRANGEBYLEX', DELAYED, '-', '(' .. hex_time(NOW + 1), 'LIMIT', 0, tonumber(ARGV[3]))
local promoted = {}
for _, member in ipairs(due) do
  local job = load_job(member_id(member, SORT_KEY_TIME))
  move(job, { state = 'waiting' })
  promoted[#promoted + 1] = job_reply(job)
end
return promoted
