#!lua
-- job-nack-many: the batch nack (and the reaper's give-back of a run's expired leases). Each item
-- is nacked as job-nack.lua would, in order, at one `now`, so placements stack as separate nacks
-- would; a refused item changes nothing (apart from the expiry rule) and does not stop the others.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)        ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3..] per item, eight, as job-nack.lua's ARGV[3..10]: job id, lease token, kind,
--          leaseExpiredOnly, target state, target detail, error (opt text), error at
-- Returns  one reply per item, in order: { 'ok', job fields } or a refusal from lease-check.lua
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include lease-check
-- @include workers
-- @include queues
-- @include settle

local NOW, SHIFT = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local replies = {}
for i = 3, #ARGV, 8 do
  replies[#replies + 1] = nack_job(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3] == '1', ARGV[i + 4], ARGV[i + 5],
    ARGV[i + 6], ARGV[i + 7], NOW, SHIFT)
end
return replies
