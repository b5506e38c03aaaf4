#!lua
-- job-ack-many: the batch ack. Each item is acked as job-ack.lua would, in order, at one `now`;
-- a refused item changes nothing (apart from the expiry rule) and does not stop the others.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3..] per item, three: job id, lease token, result (opt text: JSON)
-- Returns  one reply per item, in order: { 'ok', job fields } or a refusal from lease-check.lua
-- @include keys
-- @include codec
-- @include clock
-- @include jobs
-- @include lease-check
-- @include workers
-- @include queues
-- @include settle

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
local replies = {}
for i = 3, #ARGV, 3 do
  replies[#replies + 1] = ack_job(ARGV[i], ARGV[i + 1], ARGV[i + 2], NOW)
end
return replies
