#!lua
-- job-extend: moves the deadline of the caller's lease to now + leaseMs, never past
-- attemptStartedAt + timeoutMs when the job has a timeout; refusals follow lease-check.lua.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  job id            ARGV[4]  lease token       ARGV[5]  leaseMs
-- Returns  { 'ok', job fields } or a refusal from lease-check.lua
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include lease-check

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local job = load_job(ARGV[3])
local refusal = check_lease(job, ARGV[4], NOW, false)
if refusal then return refusal end
local deadline = NOW + tonumber(ARGV[5])
if job.timeoutMs and job.attemptStartedAt then
  deadline = math.min(deadline, tonumber(job.attemptStartedAt) + tonumber(job.timeoutMs))
end
move(job, { leaseExpiresAt = deadline })
return { 'ok', job_reply(job) }
