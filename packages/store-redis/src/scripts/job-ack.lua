#!lua
-- job-ack: an active job under `token` becomes completed with its result; refusals follow
-- lease-check.lua. The worker that held the lease counts one more processed job, and the queue
-- one more completed job in its totals (settle.lua).
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
-- @include settle

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
return ack_job(ARGV[3], ARGV[4], ARGV[5], NOW)
