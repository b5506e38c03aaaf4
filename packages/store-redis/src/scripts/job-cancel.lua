#!lua
-- job-cancel: a waiting, delayed or active job becomes dead (`cancelled`), ending its lease.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'   ARGV[3]  job id
-- Returns  { 'ok', job fields }, { 'not-found' }, or { 'finished', state } for a completed or dead job
-- @include keys
-- @include codec
-- @include clock
-- @include jobs

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local job = load_job(ARGV[3])
if job == nil then return { 'not-found' } end
if not is_unfinished(job.state) then return { 'finished', job.state } end
kill(job, 'cancelled', NOW)
return { 'ok', job_reply(job) }
