#!lua
-- job-retry: one dead job goes back to waiting (an operator's retry), as queue-redrive moves
-- them: attempts 0, runAt now, no expiry, deadReason and finishedAt cleared, the last error kept.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'   ARGV[3]  job id
-- Returns  { job fields } when retried, {} when the job is missing or not dead
-- @include keys
-- @include codec
-- @include clock
-- @include jobs

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local job = load_job(ARGV[3])
if job == nil or job.state ~= 'dead' then return {} end
move(job, {
  state = 'waiting',
  attempts = 0,
  runAt = NOW,
  expiresAt = NULL,
  deadReason = NULL,
  finishedAt = NULL,
})
return { job_reply(job) }
