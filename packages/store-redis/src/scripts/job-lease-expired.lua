#!lua flags=no-writes
-- job-lease-expired: active jobs whose lease ran out (leaseExpiresAt <= now), earliest deadline
-- first (then seq), at most `limit`. Reads only; the reaper then nacks each under its token.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'   ARGV[3]  limit
-- Returns  the jobs' fields
-- @include keys
-- @include codec
-- @include clock
-- @include jobs

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local due = redis.call('ZRANGEBYLEX', ACTIVE, '-', '(' .. hex_time(NOW + 1), 'LIMIT', 0, tonumber(ARGV[3]))
local jobs = {}
for _, member in ipairs(due) do jobs[#jobs + 1] = job_reply(load_job(member_id(member, SORT_KEY_TIME))) end
return jobs
