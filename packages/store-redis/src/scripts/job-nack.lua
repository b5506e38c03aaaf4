#!lua
-- job-nack: applies core's target to an active job under `token`; refusals follow lease-check.lua
-- (with leaseExpiredOnly, the reaper's nack applies only once the lease has run out). Placements,
-- errors and counts as settle.lua's nack_job says.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)        ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  job id                 ARGV[4]  lease token
-- ARGV[5]  kind: 'placement', 'rate-limited' (a placement to delayed that gives the lease back)
--          or 'failure'                              ARGV[6]  leaseExpiredOnly: '1' or '0'
-- ARGV[7]  target state: 'waiting', 'delayed' or 'dead'
-- ARGV[8]  target detail: placement 'front'/'back', runAt (caller ms), or dead reason
-- ARGV[9]  error (opt text: its JSON without `at`)  ARGV[10] error at (caller ms, with an error)
-- Returns  { 'ok', job fields } or a refusal from lease-check.lua
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include lease-check
-- @include workers
-- @include queues
-- @include settle

local NOW, SHIFT = resolve_clock(tonumber(ARGV[1]), ARGV[2])
return nack_job(ARGV[3], ARGV[4], ARGV[5], ARGV[6] == '1', ARGV[7], ARGV[8], ARGV[9], ARGV[10], NOW, SHIFT)
