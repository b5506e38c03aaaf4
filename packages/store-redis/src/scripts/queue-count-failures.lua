#!lua
-- queue-count-failures: creates the queue if needed (createdAt = now, not paused) and adds `count`
-- to its failed total.
-- KEYS[1]  the deployment's key base `{<prefix>}`; every key is derived from it
-- ARGV[1]  now (caller ms)   ARGV[2]  time mode: 'backend' or 'caller'
-- ARGV[3]  queue             ARGV[4]  count (a positive integer)
-- Returns  the queue: name, then its fields
-- @include keys
-- @include codec
-- @include clock
-- @include queues

local NOW = resolve_clock(tonumber(ARGV[1]), ARGV[2])
ensure_queue(ARGV[3], NOW)
count_for_queue(ARGV[3], 'failedTotal', tonumber(ARGV[4]))
return queue_reply(ARGV[3])
