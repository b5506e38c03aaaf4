#!lua
-- job-promote: one delayed job becomes waiting now (an operator's promote); runAt becomes now.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'   ARGV[3]  job id
-- Returns  { job fields } when promoted, {} when the job is missing or not delayed
-- @include keys
-- @include codec
-- @include clock
-- @include jobs

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local job = load_job(ARGV[3])
if job == nil or job.state ~= 'delayed' then return {} end
move(job, { state = 'waiting', runAt = NOW })
return { job_reply(job) }
