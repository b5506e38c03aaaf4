#!lua
-- job-ack: an active job under `token` becomes completed with its result; refusals follow
-- lease-check.lua. The worker that held the lease counts one more processed job, and the queue
-- one more completed job in its totals.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  job id            ARGV[4]  lease token       ARGV[5]  result (opt text: JSON)
-- Returns  { 'ok', job fields } or a refusal from lease-check.lua
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include lease-check
-- @include workers
-- @include queues

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local job = load_job(ARGV[3])
local refusal = check_lease(job, ARGV[4], NOW, false)
if refusal then return refusal end
move(job, {
  state = 'completed',
  result = opt_text(ARGV[5]) or NULL,
  finishedAt = NOW,
  leaseToken = NULL,
  leaseExpiresAt = NULL,
})
count_for_worker(job.worker, 'processed')
count_for_queue(job.queue, 'completedTotal', 1)
return { 'ok', job_reply(job) }
