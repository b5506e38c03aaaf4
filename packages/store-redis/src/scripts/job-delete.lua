#!lua
-- job-delete: removes one job in any state, with its index entries and dedup mapping.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  job id
-- Returns  1 when the job existed, else 0
-- @include keys
-- @include codec
-- @include jobs

local job = load_job(ARGV[1])
if job == nil then return 0 end
remove_job(job)
return 1
